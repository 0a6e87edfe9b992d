//! The native side of the admin-token procedures: runs the core's [`crate::procedure`]
//! steps with the real kubectl and verifies what they did.

pub mod access;
pub mod doctor;
pub mod error;
pub mod events;
pub mod execute;
pub mod kubectl;
pub mod verify;

pub use error::{FindError, HostError, ProcessError, SnapshotError, StepError};
pub use events::{Event, Events, Recorder};
pub use execute::{Execution, Host, Runner, Status, StepFailure, StepReport};
pub use kubectl::Kubectl;
