pub mod config;
pub mod redact;
