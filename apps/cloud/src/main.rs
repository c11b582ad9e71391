//! `kh-cloud`: the HQ server and its operator commands.
#![forbid(unsafe_code)]

use kh_http_common::shutdown_signal;

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use kh_cloud::{Flags, Settings, init_logging, open_store, start, wait_for_database};
use kh_domain::Branch;
use kh_ports::services::{
    AuthService, BranchAdminService, CategoryEdit, ChannelEdit, ListsService, StaffEdit,
    StaffService,
};
use kh_ports::{BranchDirectory, Clock, HqBranchStaff, HqLedger, HqLists, HqStaff, SystemClock};
use serde_json::json;

#[derive(Debug, Parser)]
#[command(
    name = "kh-cloud",
    version,
    about = "Haramain Finance HQ server (settings: a TOML file, KH_* environment variables, flags)"
)]
struct Cli {
    #[command(flatten)]
    flags: Flags,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HQ API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage branches; keys are printed once, as JSON on stdout.
    Branch {
        #[command(subcommand)]
        action: BranchCommand,
    },
    /// HQ's epoch (DESIGN 8.4).
    Epoch {
        #[command(subcommand)]
        action: EpochCommand,
    },
    /// The categories branches pick from (DESIGN 9); printed as JSON.
    Category {
        #[command(subcommand)]
        action: CategoryCommand,
    },
    /// The payment channels branches pick from (DESIGN 9); printed as JSON.
    Channel {
        #[command(subcommand)]
        action: ChannelCommand,
    },
    /// HQ's lists as a whole.
    Lists {
        #[command(subcommand)]
        action: ListsCommand,
    },
    /// HQ console users (DESIGN 10.1); printed as JSON, a password only when one is made.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Branch staff: cashiers and supervisors who sign in at the branch PC with a PIN
    /// (DESIGN 10.2); printed as JSON, a PIN only when one is set.
    Staff {
        #[command(subcommand)]
        action: StaffCommand,
    },
}

#[derive(Debug, Subcommand)]
enum StaffCommand {
    /// Add a member to a branch. Prints the PIN HQ made, or, with --pin-stdin, takes the PIN
    /// from the first line of standard input.
    Add {
        /// The branch's code, e.g. JKT-01.
        #[arg(long)]
        branch: String,
        /// The name on the lock screen.
        #[arg(long)]
        name: String,
        /// cashier or supervisor.
        #[arg(long)]
        role: String,
        /// Read the PIN (6 digits) from standard input instead of making one.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Print a branch's staff (never their PINs).
    List {
        /// The branch's code.
        #[arg(long)]
        branch: String,
    },
    /// Rename a member or change their role.
    Change {
        /// The branch's code.
        #[arg(long)]
        branch: String,
        /// The member's name or id.
        member: String,
        /// A new name.
        #[arg(long)]
        name: Option<String>,
        /// cashier or supervisor.
        #[arg(long)]
        role: Option<String>,
    },
    /// Stop a member from signing in (at the branch's next sync).
    Disable {
        /// The branch's code.
        #[arg(long)]
        branch: String,
        /// The member's name or id.
        member: String,
    },
    /// Let a disabled member sign in again.
    Enable {
        /// The branch's code.
        #[arg(long)]
        branch: String,
        /// The member's name or id.
        member: String,
    },
    /// Give a member a new PIN (printed, or read with --pin-stdin).
    ResetPin {
        /// The branch's code.
        #[arg(long)]
        branch: String,
        /// The member's name or id.
        member: String,
        /// Read the PIN from standard input instead of making one.
        #[arg(long)]
        pin_stdin: bool,
    },
}

fn staff_json(branch: &Branch, m: &kh_domain::StaffMember) -> serde_json::Value {
    json!({"id": m.id.to_string(), "branch": branch.code.as_str(), "name": m.name.as_str(),
           "role": m.role.as_str(), "active": m.active})
}

/// The first line of standard input, without its line end.
fn stdin_line() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn set_active(
    staff: &StaffService,
    auth: &AuthService,
    (branch, id): (Branch, String),
    active: bool,
) -> anyhow::Result<serde_json::Value> {
    let edit = StaffEdit {
        active: Some(active),
        ..StaffEdit::default()
    };
    let (_, m) = staff.change(&id, edit).await?;
    let action = if active {
        "staff.enable"
    } else {
        "staff.disable"
    };
    auth.record("command line", action, m.name.as_str()).await;
    Ok(staff_json(&branch, &m))
}

async fn staff_command(settings: &Settings, action: StaffCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let shared = Arc::new(store.clone());
    let admin = BranchAdminService::new(
        shared.clone() as Arc<dyn BranchDirectory>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let staff = StaffService::new(
        shared.clone() as Arc<dyn BranchDirectory>,
        shared.clone() as Arc<dyn HqBranchStaff>,
        shared.clone() as Arc<dyn HqLists>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let auth = AuthService::new(
        shared as Arc<dyn HqStaff>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let find = |branch: Branch, member: String| {
        let staff = staff.clone();
        async move {
            let (_, all) = staff.of_branch(&branch.id.to_string()).await?;
            let id = find_item(
                &member,
                all.iter().map(|m| (m.id.to_string(), m.name.as_str())),
                "staff member",
            )
            .map_err(|_| {
                anyhow::anyhow!(
                    "{} has no staff member called or with the id {member:?}; see \
                     `kh-cloud staff list --branch {}`",
                    branch.code.as_str(),
                    branch.code.as_str()
                )
            })?;
            anyhow::Ok((branch, id))
        }
    };
    let output = match action {
        StaffCommand::Add {
            branch,
            name,
            role,
            pin_stdin,
        } => {
            let branch = admin.by_code(&branch).await?;
            let pin = if pin_stdin { Some(stdin_line()?) } else { None };
            let (_, member, made) = staff
                .add(&branch.id.to_string(), &name, &role, pin.as_deref())
                .await?;
            auth.record("command line", "staff.add", member.name.as_str())
                .await;
            let mut value = staff_json(&branch, &member);
            if !pin_stdin {
                value["pin"] = made.expose().into();
            }
            value
        }
        StaffCommand::List { branch } => {
            let branch = admin.by_code(&branch).await?;
            let (_, all) = staff.of_branch(&branch.id.to_string()).await?;
            serde_json::Value::Array(all.iter().map(|m| staff_json(&branch, m)).collect())
        }
        StaffCommand::Change {
            branch,
            member,
            name,
            role,
        } => {
            let (branch, id) = find(admin.by_code(&branch).await?, member).await?;
            let edit = StaffEdit {
                name: name.as_deref(),
                role: role.as_deref(),
                active: None,
            };
            let (_, m) = staff.change(&id, edit).await?;
            auth.record("command line", "staff.change", m.name.as_str())
                .await;
            staff_json(&branch, &m)
        }
        StaffCommand::Disable { branch, member } => {
            set_active(
                &staff,
                &auth,
                find(admin.by_code(&branch).await?, member).await?,
                false,
            )
            .await?
        }
        StaffCommand::Enable { branch, member } => {
            set_active(
                &staff,
                &auth,
                find(admin.by_code(&branch).await?, member).await?,
                true,
            )
            .await?
        }
        StaffCommand::ResetPin {
            branch,
            member,
            pin_stdin,
        } => {
            let (branch, id) = find(admin.by_code(&branch).await?, member).await?;
            let pin = if pin_stdin { Some(stdin_line()?) } else { None };
            let (_, m, made) = staff.reset_pin(&id, pin.as_deref()).await?;
            auth.record("command line", "staff.pin", m.name.as_str())
                .await;
            let mut value = staff_json(&branch, &m);
            if !pin_stdin {
                value["pin"] = made.expose().into();
            }
            value
        }
    };
    println!("{}", serde_json::to_string_pretty(&output)?);
    store.close().await;
    Ok(())
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Make a user. Prints a one-time password made for it, or, with --password-stdin, takes
    /// the password from the first line of standard input.
    Create {
        /// The sign-in email.
        #[arg(long)]
        email: String,
        /// owner, finance or viewer.
        #[arg(long)]
        role: String,
        /// Read the password from standard input instead of making one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print every user.
    List,
    /// Stop a user from signing in; its sessions end at once.
    Disable {
        /// The user's email.
        #[arg(long)]
        email: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        /// The user's email.
        #[arg(long)]
        email: String,
    },
    /// Give a user a new one-time password (printed; its sessions end).
    ResetPassword {
        /// The user's email.
        #[arg(long)]
        email: String,
    },
}

/// A password for a person to type once and change: 16 characters from an alphabet without
/// look-alikes.
fn one_time_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(16);
    let mut buf = [0_u8; 64];
    while out.len() < 16 {
        getrandom::fill(&mut buf).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        for b in buf {
            if usize::from(b) < ALPHABET.len() * 4 && out.len() < 16 {
                out.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(out)
}

fn user_json(u: &kh_domain::HqUser) -> serde_json::Value {
    json!({
        "id": u.id.to_string(),
        "email": u.email.as_str(),
        "role": u.role.as_str(),
        "created_at": u.created_at.to_rfc3339_opts(kh_domain::chrono::SecondsFormat::Millis, true),
        "disabled_at": u.disabled_at.map(|t| t.to_rfc3339_opts(kh_domain::chrono::SecondsFormat::Millis, true)),
    })
}

async fn user_command(settings: &Settings, action: UserCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let auth = AuthService::new(
        Arc::new(store.clone()) as Arc<dyn HqStaff>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let output = match action {
        UserCommand::Create {
            email,
            role,
            password_stdin,
        } => {
            let (password, made) = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                (line.trim_end_matches(['\r', '\n']).to_owned(), false)
            } else {
                (one_time_password()?, true)
            };
            let user = auth.create_user(&email, &role, &password).await?;
            auth.record("command line", "user.create", user.email.as_str())
                .await;
            let mut value = user_json(&user);
            if made {
                value["password"] = password.into();
            }
            value
        }
        UserCommand::List => {
            serde_json::Value::Array(auth.users().await?.iter().map(user_json).collect())
        }
        UserCommand::Disable { email } => {
            let user = auth.by_email(&email).await?;
            let user = auth.set_disabled(user.id, true).await?;
            auth.record("command line", "user.disable", user.email.as_str())
                .await;
            user_json(&user)
        }
        UserCommand::Enable { email } => {
            let user = auth.by_email(&email).await?;
            let user = auth.set_disabled(user.id, false).await?;
            auth.record("command line", "user.enable", user.email.as_str())
                .await;
            user_json(&user)
        }
        UserCommand::ResetPassword { email } => {
            let user = auth.by_email(&email).await?;
            let password = one_time_password()?;
            let user = auth.reset_password(user.id, &password).await?;
            auth.record("command line", "user.reset_password", user.email.as_str())
                .await;
            let mut value = user_json(&user);
            value["password"] = password.into();
            value
        }
    };
    println!("{}", serde_json::to_string_pretty(&output)?);
    store.close().await;
    Ok(())
}

#[derive(Debug, Subcommand)]
enum CategoryCommand {
    /// Add a category for IN, OUT or BOTH kinds of entry.
    Add {
        /// Its name, e.g. "Parkir".
        #[arg(long)]
        name: String,
        /// IN, OUT or BOTH.
        #[arg(long = "type")]
        usage: String,
    },
    /// Change a category, named by its id or its current name.
    Change {
        /// The category's id or current name.
        item: String,
        /// A new name (old entries keep the name they were made with).
        #[arg(long)]
        name: Option<String>,
        /// IN, OUT or BOTH.
        #[arg(long = "type")]
        usage: Option<String>,
        /// false to stop offering it for new entries (it is never deleted); true to offer it again.
        #[arg(long)]
        active: Option<bool>,
    },
}

#[derive(Debug, Subcommand)]
enum ChannelCommand {
    /// Add a payment channel.
    Add {
        /// Its name, e.g. "GoPay".
        #[arg(long)]
        name: String,
        /// cash (money into the drawer) or non_cash; fixed once made.
        #[arg(long)]
        kind: String,
    },
    /// Change a payment channel, named by its id or its current name.
    Change {
        /// The channel's id or current name.
        item: String,
        /// A new name (old entries keep the name they were made with).
        #[arg(long)]
        name: Option<String>,
        /// false to stop offering it for new entries (it is never deleted); true to offer it again.
        #[arg(long)]
        active: Option<bool>,
    },
}

#[derive(Debug, Subcommand)]
enum ListsCommand {
    /// Print every category and payment channel with its id.
    Show,
    /// Whether cashiers may type a category that is not in the list.
    AllowNewCategories {
        /// true or false.
        #[arg(action = clap::ArgAction::Set)]
        allow: bool,
    },
}

/// The id of the item named by `item` (an id, or a name in any letter case and spacing).
fn find_item<'a>(
    item: &str,
    items: impl Iterator<Item = (String, &'a str)>,
    what: &str,
) -> anyhow::Result<String> {
    let wanted = kh_domain::name_key(item);
    items
        .into_iter()
        .find(|(id, name)| id == item || kh_domain::name_key(name) == wanted)
        .map(|(id, _)| id)
        .ok_or_else(|| {
            anyhow::anyhow!("no {what} is called or has the id {item:?}; see `kh-cloud lists show`")
        })
}

fn lists_json(lists: &kh_domain::Lists) -> serde_json::Value {
    json!({
        "version": lists.version,
        "allow_new_categories": lists.allow_new_categories,
        "categories": lists.categories.iter().map(category_json).collect::<Vec<_>>(),
        "channels": lists.channels.iter().map(channel_json).collect::<Vec<_>>(),
    })
}

fn category_json(c: &kh_domain::ListCategory) -> serde_json::Value {
    json!({"id": c.id.to_string(), "name": c.name.as_str(), "type": c.usage.as_str(), "active": c.active})
}

fn channel_json(c: &kh_domain::PaymentChannel) -> serde_json::Value {
    json!({"id": c.id.to_string(), "name": c.name.as_str(), "kind": c.kind.as_str(), "active": c.active})
}

enum ListsAction {
    Category(CategoryCommand),
    Channel(ChannelCommand),
    Lists(ListsCommand),
}

async fn lists_command(settings: &Settings, action: ListsAction) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let lists = ListsService::new(
        Arc::new(store.clone()) as Arc<dyn HqLists>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let output = match action {
        ListsAction::Lists(ListsCommand::Show) => lists_json(&lists.since(0).await?),
        ListsAction::Lists(ListsCommand::AllowNewCategories { allow }) => {
            let version = lists.set_allow_new_categories(allow).await?;
            json!({"version": version, "allow_new_categories": allow})
        }
        ListsAction::Category(CategoryCommand::Add { name, usage }) => {
            category_json(&lists.add_category(&name, &usage).await?)
        }
        ListsAction::Category(CategoryCommand::Change {
            item,
            name,
            usage,
            active,
        }) => {
            let all = lists.since(0).await?;
            let id = find_item(
                &item,
                all.categories
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.as_str())),
                "category",
            )?;
            let edit = CategoryEdit {
                name: name.as_deref(),
                usage: usage.as_deref(),
                active,
            };
            category_json(&lists.change_category(&id, edit).await?)
        }
        ListsAction::Channel(ChannelCommand::Add { name, kind }) => {
            channel_json(&lists.add_channel(&name, &kind).await?)
        }
        ListsAction::Channel(ChannelCommand::Change { item, name, active }) => {
            let all = lists.since(0).await?;
            let id = find_item(
                &item,
                all.channels
                    .iter()
                    .map(|c| (c.id.to_string(), c.name.as_str())),
                "payment channel",
            )?;
            let edit = ChannelEdit {
                name: name.as_deref(),
                active,
            };
            channel_json(&lists.change_channel(&id, edit).await?)
        }
    };
    println!("{}", serde_json::to_string_pretty(&output)?);
    store.close().await;
    Ok(())
}

#[derive(Debug, Subcommand)]
enum EpochCommand {
    /// After restoring the HQ database from a backup, with no kh-cloud running: make a new
    /// epoch, so every branch sends all its entries again and HQ gets back what the backup
    /// lacks. Prints {"epoch": "..."}.
    Reset,
    /// Print the current epoch as {"epoch": "..."}.
    Show,
}

async fn epoch_command(settings: &Settings, action: EpochCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let ledger = Arc::new(store.clone()) as Arc<dyn HqLedger>;
    let epoch = match action {
        EpochCommand::Reset => {
            let epoch = ledger.reset_epoch().await?;
            tracing::warn!(%epoch, "HQ epoch reset: branches will send all their entries again");
            epoch
        }
        EpochCommand::Show => ledger.epoch().await?,
    };
    println!("{}", json!({ "epoch": epoch.to_string() }));
    store.close().await;
    Ok(())
}

#[derive(Debug, Subcommand)]
enum BranchCommand {
    /// Create a branch and print {"id","code","name","api_key"}.
    Create {
        /// Short unique code, e.g. JKT-01.
        #[arg(long)]
        code: String,
        /// Display name.
        #[arg(long)]
        name: String,
    },
    /// Print every branch as JSON.
    List,
    /// Give a branch a new key (the old one stops working) and print it.
    RotateKey {
        /// The branch's code.
        #[arg(long)]
        code: String,
    },
    /// Stop a branch from pushing.
    Disable {
        /// The branch's code.
        #[arg(long)]
        code: String,
    },
    /// Let a disabled branch push again with its current key.
    Enable {
        /// The branch's code.
        #[arg(long)]
        code: String,
    },
}

fn branch_json(b: &Branch) -> serde_json::Value {
    json!({
        "id": b.id.to_string(),
        "code": b.code.as_str(),
        "name": b.name.as_str(),
        "created_at": b.created_at.to_rfc3339_opts(kh_domain::chrono::SecondsFormat::Millis, true),
        "disabled_at": b.disabled_at.map(|t| t.to_rfc3339_opts(kh_domain::chrono::SecondsFormat::Millis, true)),
        "last_seen_at": b.last_seen_at.map(|t| t.to_rfc3339_opts(kh_domain::chrono::SecondsFormat::Millis, true)),
    })
}

async fn branch_command(settings: &Settings, action: BranchCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    wait_for_database(&store, settings).await?;
    let admin = BranchAdminService::new(
        Arc::new(store.clone()) as Arc<dyn BranchDirectory>,
        Arc::new(SystemClock) as Arc<dyn Clock>,
    );
    let output = match action {
        BranchCommand::Create { code, name } => {
            let (branch, key) = admin.create(&code, &name).await?;
            let mut value = branch_json(&branch);
            value["api_key"] = key.reveal().into();
            value
        }
        BranchCommand::List => {
            serde_json::Value::Array(admin.list().await?.iter().map(branch_json).collect())
        }
        BranchCommand::RotateKey { code } => {
            let branch = admin.by_code(&code).await?;
            let (branch, key) = admin.rotate_key(branch.id).await?;
            let mut value = branch_json(&branch);
            value["api_key"] = key.reveal().into();
            value
        }
        BranchCommand::Disable { code } => {
            let branch = admin.by_code(&code).await?;
            branch_json(&admin.disable(branch.id).await?)
        }
        BranchCommand::Enable { code } => {
            let branch = admin.by_code(&code).await?;
            branch_json(&admin.enable(branch.id).await?)
        }
    };
    let text = serde_json::to_string_pretty(&output)?;
    // A closed pipe (`kh-cloud branch list | head -1`) is not an error worth a panic.
    if let Err(e) = writeln!(std::io::stdout(), "{text}")
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(e.into());
    }
    store.close().await;
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let running = start(settings).await?;
    shutdown_signal().await;
    tracing::info!("shutting down");
    running.shutdown().await
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.flags) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kh-cloud: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        Command::Migrate => {
            async {
                let store = open_store(&settings).await?;
                wait_for_database(&store, &settings).await?;
                store.close().await;
                eprintln!(
                    "kh-cloud: migrations applied to {}",
                    settings.database_for_humans()
                );
                Ok(())
            }
            .await
        }
        Command::Branch { action } => branch_command(&settings, action).await,
        Command::Epoch { action } => epoch_command(&settings, action).await,
        Command::Category { action } => {
            lists_command(&settings, ListsAction::Category(action)).await
        }
        Command::Channel { action } => lists_command(&settings, ListsAction::Channel(action)).await,
        Command::Lists { action } => lists_command(&settings, ListsAction::Lists(action)).await,
        Command::User { action } => user_command(&settings, action).await,
        Command::Staff { action } => staff_command(&settings, action).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "kh-cloud failed");
            eprintln!("kh-cloud: {e:#}");
            ExitCode::FAILURE
        }
    }
}
