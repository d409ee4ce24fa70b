package towndesk

// Figures of the weekly summary that storage reads and the summary and its
// front ends show. They hold no phone or ID numbers.

// UnbalancedRequest is a request whose ledger does not balance.
type UnbalancedRequest struct {
	ID      string
	Status  Status
	Balance Balance
}

// VillageCount is how many new requests came from a village.
type VillageCount struct {
	Town, Village string
	Count         int
}

// MatterCount is how often a power-list item was the best answer.
type MatterCount struct {
	Code, Name string // Name is "" if no current list has the code
	Count      int
}

// TeachingFigures are a week's figures of the list maintainers' teaching,
// for a weekly summary.
type TeachingFigures struct {
	// Queue counts the forms of questions waiting in the maintainers'
	// queue (not found, not sure, or marked 没用, and not taught since).
	Queue int
	// Taught counts the links taught in the week, by teacher.
	Taught []TaughtCount
	// Stale counts the active links whose item the lists no longer have.
	Stale int
}

// TaughtCount is how many links one person taught.
type TaughtCount struct {
	By    string
	Count int
}
