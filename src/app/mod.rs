//! Use cases that span the domain and the graph, shared by the HTTP interface and the command
//! line: settlement runs, preview, verification, statements with their sources.
pub mod settle;
pub mod sms;
pub mod statements;
pub mod verify;
