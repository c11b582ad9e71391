//! `kh-desktop`: Haramain Finance as a window on the branch PC. The `kh-local` server runs
//! inside this process (started by the same `kh_local::start` as the `kh-local` binary); the
//! window opens only once the server answers, and closing it stops the server after the sync
//! batch in flight is recorded. A second launch focuses the first window instead.
#![cfg_attr(all(not(debug_assertions), windows), windows_subsystem = "windows")]
#![forbid(unsafe_code)]

mod boot;

use std::sync::Mutex;
use std::time::Instant;

use tauri::webview::PageLoadEvent;
use tauri::{App, AppHandle, Manager, RunEvent, WebviewUrl, WebviewWindowBuilder};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::boot::Failure;

/// The label of the one window.
const MAIN_WINDOW: &str = "main";
/// What the window's title bar (and the task bar) says.
const TITLE: &str = "Haramain Finance";

/// The running server, taken out and stopped when the app exits.
#[derive(Default)]
struct Server(Mutex<Option<kh_local::Running>>);

fn main() {
    let launched = Instant::now();
    let app = tauri::Builder::default()
        // First: a second launch hands over to this one and exits before starting anything.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            tracing::info!("a second launch asked for the window");
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .manage(Server::default())
        .setup(|app| {
            setup(app);
            Ok(())
        })
        .on_page_load(move |_webview, payload| {
            if payload.event() == PageLoadEvent::Finished {
                let elapsed_ms = u64::try_from(launched.elapsed().as_millis()).unwrap_or(u64::MAX);
                tracing::info!(elapsed_ms, "window ready");
            }
        })
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            // Nothing has started yet; there is no window to show the error in.
            eprintln!("kh-desktop: the window system could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            stop_server(app);
        }
    });
}

/// Starts the server, then opens the window on it; on failure shows why and exits.
fn setup(app: &mut App) {
    let handle = app.handle().clone();
    let running = match tauri::async_runtime::block_on(boot::start_server()) {
        Ok(running) => running,
        Err(failure) => return show_failure_and_exit(&handle, failure),
    };
    let url = boot::page_url(running.addr);
    if let Ok(mut slot) = app.state::<Server>().0.lock() {
        *slot = Some(running);
    }
    let window = url
        .parse()
        .map_err(|e| format!("{url} is not a URL: {e}"))
        .and_then(|url| {
            WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::External(url))
                .title(TITLE)
                .inner_size(1280.0, 820.0)
                .min_inner_size(960.0, 640.0)
                .center()
                .focused(true)
                .build()
                .map_err(|e| e.to_string())
        });
    match window {
        Ok(_) => tracing::info!("window opened"),
        Err(detail) => show_failure_and_exit(&handle, Failure::window(&detail)),
    }
}

/// A native error dialog; the app exits (code 1) when it is closed.
fn show_failure_and_exit(app: &AppHandle, failure: Failure) {
    let exit = app.clone();
    app.dialog()
        .message(failure.message)
        .title(failure.title)
        .kind(MessageDialogKind::Error)
        .buttons(MessageDialogButtons::Ok)
        .show(move |_| exit.exit(1));
}

fn focus_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Stops the server: the sync worker finishes the batch in flight, requests in flight are
/// answered, the database is closed.
fn stop_server(app: &AppHandle) {
    let running = app
        .state::<Server>()
        .0
        .lock()
        .ok()
        .and_then(|mut slot| slot.take());
    // From here a new launch starts its own server (it waits for the cash book's lock below)
    // instead of handing over to this window, which is gone.
    tauri_plugin_single_instance::destroy(app);
    if let Some(running) = running {
        tracing::info!("window closed; stopping the branch server");
        if let Err(e) = tauri::async_runtime::block_on(running.shutdown()) {
            tracing::error!(error = %e, "the branch server did not stop cleanly");
        }
    }
}
