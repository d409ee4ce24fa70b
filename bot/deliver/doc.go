// Package deliver is the bot's delivery machinery, free of any chat
// platform: a fair pool of background workers, the inbox that keeps the
// questions delivered until each is answered, a paced queue of posts per
// channel, the outbox driver that sends the stored posts a change needs
// (with retries, and again after a restart), the weekly summaries'
// schedule and exactly-once slots, and idempotency keys for actions a
// platform delivers at least once. The bot hands it functions that make
// the platform's calls; nothing here imports slack-go.
package deliver
