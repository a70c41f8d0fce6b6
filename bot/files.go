package bot

import "context"

// File is a file posted to chat: a chart image, say. Name is the file name
// ("kpi-engagement-rate.png"), Title what people see above it.
type File struct {
	Name  string
	Title string
	Data  []byte
}

// Uploader posts files into a channel. It is optional: a platform without
// it still posts every message, only without pictures.
type Uploader interface {
	Upload(ctx context.Context, channel string, f File) error
}

// PrivateFiles replies to the sender only with m and files attached.
// Responders that cannot attach files to a private reply show the message
// and say that the files were left out.
func (c *Context) PrivateFiles(m Message, files []File) error {
	return c.resp.Respond(c.context(), Reply{Message: m, Private: true, Files: files})
}
