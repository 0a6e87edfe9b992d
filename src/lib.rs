//! influxctl-admin: the pure core (no I/O, no processes) of a tool that manages influxctl
//! profiles and InfluxDB Clustered admin tokens. The native CLI (`cli` feature) and the
//! browser editor (`wasm32`) are thin layers over these modules.

// The core must not panic on any input: in the browser a panic is a dead page. These
// lints keep the panicking shortcuts out of it (tests may use them); the native CLI and
// runner, where a panic is a bug report rather than a dead page, opt out.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing
    )
)]
// Every JSON document is a typed struct, whatever serde_json's features (clippy.toml).
#![cfg_attr(not(test), deny(clippy::disallowed_macros))]

pub mod config;
pub mod diagnostic;
pub mod docs;
pub mod json;
pub mod names;
pub mod procedure;
pub mod rbac;
pub mod redact;
pub mod secret;
pub mod shell;
pub mod token;
pub mod yaml;

#[cfg(feature = "cli")]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable,
    clippy::indexing_slicing
)]
pub mod cli;
#[cfg(feature = "cli")]
pub mod program;
#[cfg(feature = "cli")]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable,
    clippy::indexing_slicing
)]
pub mod runner;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
