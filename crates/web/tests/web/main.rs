//! End-to-end tests of the HTTP layer: the real router, the real service layer and a real
//! database on each backend, driven request by request as a browser or an app would.
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers of tests fail loudly, as tests do"
)]

mod accounts;
mod api;
mod appeals;
mod audit_log;
mod blocking;
mod booking;
mod booking_guards;
mod cabinet;
mod calendar_feed;
mod calls;
mod catalog;
mod catalog_admin;
mod change_documents;
mod common;
mod connections;
mod consents;
mod directory;
mod documents;
mod end_of_service;
mod flow;
mod forms;
mod guards;
mod incidents;
mod letters_secrecy;
mod messages;
mod openapi;
mod outcomes;
mod pages;
mod photos;
mod price_lists;
mod prices;
mod registration_guards;
mod reminders;
mod representatives;
mod requests;
mod roles;
mod schedules;
mod second_factor;
mod security;
mod staff;
mod staff_words;
mod statistics;
mod visit_letters;
mod waitlist;
