//! The native command line: `keyplay run FILE` (or `-` for standard input).
