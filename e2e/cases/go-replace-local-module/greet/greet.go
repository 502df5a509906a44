package greet

// Hello is the greeting, from a module the main one replaces with a local directory.
func Hello() string { return "hello from a local module" }
