// Package handlers holds towndesk's chat-platform-free commands: typed
// request in, typed reply out; the Slack and console front ends only parse
// and render. Errors are *towndesk.Error values whose Message is the Chinese
// sentence to show.
package handlers
