// Package qa answers questions about the power lists and manages the
// lists: import, listing, diff, law texts, the evaluation harness and the
// policy for the optional language model. Replies are typed, free of any
// chat platform; errors are *towndesk.Error values whose Message is the
// Chinese sentence to show.
package qa
