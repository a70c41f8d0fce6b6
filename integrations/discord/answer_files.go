package discord

import (
	"context"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// Interaction answers with files: the same JSON as without, sent as
// payload_json of a multipart body whose attachments name the files.

type responseWithFiles struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data dataWithFiles                     `json:"data"`
}

// dataWithFiles, paramsWithFiles and editWithFiles shadow discordgo's
// attachments field (shallower fields win in encoding/json) with one that
// carries ids, file names and descriptions.
type dataWithFiles struct {
	*discordgo.InteractionResponseData
	Attachments []attachment `json:"attachments"`
}

type paramsWithFiles struct {
	*discordgo.WebhookParams
	Attachments []attachment `json:"attachments"`
}

type editWithFiles struct {
	*discordgo.WebhookEdit
	Attachments []attachment `json:"attachments"`
}

// respondInteraction answers an interaction over REST (the callback).
func (a *Adapter) respondInteraction(ctx context.Context, i *discordgo.Interaction, resp *discordgo.InteractionResponse, files []bot.File) error {
	if len(files) == 0 {
		return a.session.InteractionRespond(i, resp, ctxOpt(ctx))
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	data := responseWithFiles{Type: resp.Type, Data: dataWithFiles{InteractionResponseData: resp.Data, Attachments: attachments(files)}}
	_, err := a.requestMultipart(ctx, http.MethodPost, endpoint, endpoint, data, files)
	return err
}

// editOriginal puts p, with files, in place of the interaction's
// original answer (a deferral).
func (x *exchange) editOriginal(ctx context.Context, p part, files []bot.File) error {
	if len(files) == 0 {
		_, err := x.a.session.InteractionResponseEdit(x.i, p.webhookEdit(), ctxOpt(ctx))
		return err
	}
	endpoint := discordgo.EndpointWebhookMessage(x.i.AppID, x.i.Token, "@original")
	data := editWithFiles{WebhookEdit: p.webhookEdit(), Attachments: attachments(files)}
	_, err := x.a.requestMultipart(ctx, http.MethodPatch, endpoint, endpoint, data, files)
	return err
}

// followup sends p, with files, as a follow-up message.
func (x *exchange) followup(ctx context.Context, p part, files []bot.File, private bool) error {
	if len(files) == 0 {
		_, err := x.a.session.FollowupMessageCreate(x.i, true, p.webhookParams(private), ctxOpt(ctx))
		return err
	}
	endpoint := discordgo.EndpointWebhookToken(x.i.AppID, x.i.Token) + "?wait=true"
	data := paramsWithFiles{WebhookParams: p.webhookParams(private), Attachments: attachments(files)}
	_, err := x.a.requestMultipart(ctx, http.MethodPost, endpoint, endpoint, data, files)
	return err
}
