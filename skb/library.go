package skb

import _ "embed"

// libraryText is the Prolog part of the built-in library, loaded into
// every Engine by New.
//
//go:embed library.pl
var libraryText string
