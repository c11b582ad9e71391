//! The HQ HTTP API (work in progress by the http-cloud helper).
