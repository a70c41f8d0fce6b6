package discord

import (
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/interlock-coe/interlock/bot"
)

// inertEscaper and everyoneEscaper defuse what Discord would turn into a mention, a channel
// link or a command link: "<@…>", "<@&…>", "<#…>", "</…>", and @everyone
// and @here.
var (
	inertEscaper = strings.NewReplacer(
		`\`, `\\`, // so that a backslash written outside cannot undo ours
		"<@", `\<@`, "<#", `\<#`, "</", `\</`, "<!", `\<!`,
	)
	// A pass of its own, so that "<@everyone" loses both.
	everyoneEscaper = strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere")
)

// inert escapes the mention syntax in outside text so that Discord shows it
// as written: a backslash before "<" shows the raw form (and a backslash
// in the text is doubled, so it shows as one), and a zero-width space keeps
// @everyone and @here from being read as such.
func inert(s string) string { return inertEscaper.Replace(everyoneEscaper.Replace(s)) }

// inertMessage escapes every text of a message quoting outside text. No
// "@handle" in it is matched to a person.
func inertMessage(m bot.Message) bot.Message {
	m.Title, m.Text, m.Footer = inert(m.Title), inert(m.Text), inert(m.Footer)
	fields := make([]bot.Field, len(m.Fields))
	for i, f := range m.Fields {
		fields[i] = bot.Field{Title: inert(f.Title), Value: inert(f.Value)}
	}
	m.Fields = fields
	return m
}

// notifyIDs returns the Discord ids of the people to notify, in order,
// leaving out those without one.
func (a *Adapter) notifyIDs(people []string) []string {
	var ids []string
	for _, p := range people {
		if id := a.discordID(p); id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// withMentionLine puts the mentions of ids at the start of the first
// part's content, or in a part of its own before it when they do not fit.
func withMentionLine(parts []part, ids []string) []part {
	if len(ids) == 0 {
		return parts
	}
	line := "<@" + strings.Join(ids, "> <@") + ">"
	first := &parts[0]
	switch {
	case first.content == "":
		first.content = line
	case textLen(first.content)+1+textLen(line) <= maxContent:
		first.content = line + "\n" + first.content
	default:
		parts = append([]part{{content: clip(line, maxContent)}}, parts...)
	}
	return parts
}

// onlyUsers allows the mentions of ids and nothing else: an empty parse
// list (not null, which Discord reads as the default) means no @everyone,
// role or user mention written in the text notifies anyone.
func onlyUsers(ids []string) *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Users: ids}
}
