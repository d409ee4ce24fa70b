// Package deliver is the bot's delivery machinery, free of any chat
// platform: a fair pool of background workers, a paced queue of posts per
// channel, and the outbox driver that sends the stored posts a change
// needs, with retries and again after a restart. The bot hands it
// functions that make the platform's calls; nothing here imports
// slack-go.
package deliver
