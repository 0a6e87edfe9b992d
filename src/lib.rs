//! influxctl-admin: the pure core (no I/O, no processes) of a tool that manages influxctl
//! profiles and InfluxDB Clustered admin tokens. The native CLI (`cli` feature) and the
//! browser editor (`wasm32`) are thin layers over these modules.

pub mod config;
pub mod names;
pub mod procedure;
pub mod redact;
pub mod secret;
pub mod token;

#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "cli")]
pub mod runner;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
