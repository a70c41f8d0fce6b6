package discordtest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"
)

// form builds a multipart body: payload_json, then the named file parts.
func form(t *testing.T, payload string, fields ...string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("payload_json", payload); err != nil {
		t.Fatal(err)
	}
	for _, f := range fields {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f+`"; filename="chart.png"`)
		h.Set("Content-Type", "image/png")
		p, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		p.Write([]byte("\x89PNG"))
	}
	w.Close()
	return w.FormDataContentType(), &buf
}

func TestMultipartMessages(t *testing.T) {
	s := NewServer(t)
	ch := s.AddChannel("social")
	url := s.URL + api + "/channels/" + ch + "/messages"
	for _, tt := range []struct {
		name    string
		payload string
		fields  []string
		limit   int64
		status  int
		code    int
	}{
		{name: "attachment with its file", payload: `{"content":"hi","attachments":[{"id":0,"filename":"chart.png"}]}`, fields: []string{"files[0]"}, status: http.StatusOK},
		{name: "string id", payload: `{"attachments":[{"id":"0"}]}`, fields: []string{"files[0]"}, status: http.StatusOK},
		{name: "attachment without its file", payload: `{"attachments":[{"id":1,"filename":"chart.png"}]}`, fields: []string{"files[0]"}, status: http.StatusBadRequest, code: 50035},
		{name: "no payload_json", payload: "", status: http.StatusBadRequest, code: 50035},
		{name: "over the file limit", payload: `{"attachments":[{"id":0}]}`, fields: []string{"files[0]"}, limit: 3, status: http.StatusRequestEntityTooLarge, code: 40005},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s.SetFileLimit(DefaultFileLimit)
			if tt.limit > 0 {
				s.SetFileLimit(tt.limit)
			}
			ctype, body := form(t, tt.payload, tt.fields...)
			if tt.payload == "" {
				ctype, body = "multipart/form-data; boundary=x", bytes.NewBufferString("--x--\r\n")
			}
			resp, err := http.Post(url, ctype, body)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var answer struct {
				ID          string `json:"id"`
				Code        int    `json:"code"`
				Message     string `json:"message"`
				Attachments []struct {
					Filename string `json:"filename"`
					Size     int    `json:"size"`
				} `json:"attachments"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status || answer.Code != tt.code {
				t.Fatalf("status %d code %d (%s), want %d code %d", resp.StatusCode, answer.Code, answer.Message, tt.status, tt.code)
			}
			if tt.status != http.StatusOK {
				return
			}
			up, ok := s.MessageUpload(answer.ID)
			if !ok || len(up.Files) != 1 || string(up.Files[0].Data) != "\x89PNG" || up.Files[0].ContentType != "image/png" {
				t.Fatalf("upload = %+v", up)
			}
			if len(answer.Attachments) != 1 || answer.Attachments[0].Filename != "chart.png" || answer.Attachments[0].Size != 4 {
				t.Errorf("attachments = %+v", answer.Attachments)
			}
		})
	}
}
