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
