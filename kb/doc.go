// Package kb is towndesk's knowledge base over the imported power lists: it
// reads questions with the words of package kb/lexicon (synonyms, frames,
// fillers, place names), scores the rows of the lists, holds the embedded
// sample lists, and answers a question
// ("滨湖镇 烧秸秆 谁管") with the power items that answer it, or says that it
// is not sure, or that nothing fits.
//
// The full-text index it searches (bleve; derived from SQLite, rebuilt
// when stale) lives in kb/internal/index; kb's callers open it through
// OpenIndex and UpdateIndex. Only kb and that package import bleve, and no
// bleve type appears in kb's exported API. Places come from package
// gazetteer, law texts from package law, list files from package listfile.
package kb
