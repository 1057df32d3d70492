//! The keychain engine against SQLite in memory doing the same calls (the real keychain is a
//! SQLite database, `keychain-2.db`): for 10, 1 000 and 100 000 generic passwords, the same
//! sequence of adds, copies by primary key, copies by a non-key attribute, updates,
//! duplicate adds and a delete of every item, on a SQLite table with the generic-password
//! uniqueness constraint of the data protection keychain (`UNIQUE(acct, svce, agrp, sync,
//! tkid)`) and an index on each column the engine indexes. Prints both and the ratio
//! (engine ÷ SQLite: under 1 means the engine is faster); asserts nothing about time.
//!
//! SQLite runs with prepared statements and reads every column of every row it returns into
//! Rust values, as a caller of the database would; the engine runs its whole call (query
//! parsing, access groups, the result dictionaries, explanations and pitfalls).
#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

// SQLite is C: the comparison is native only (the crate's wasm build has no rusqlite).
#[cfg(not(target_arch = "wasm32"))]
mod against_sqlite {
    use keyplay::keychain::document::{App, DevicePatch, Dict, Platform};
    use keyplay::keychain::engine::{Device, Keychain};
    use keyplay::Instant;
    use rusqlite::{params, Connection};
    use serde_json::json;
    use std::time::Instant as Clock;

    /// The access group the default app writes to (the engine's default app's first group).
    const GROUP: &str = "TEAMID1234.com.example.app";

    const SCHEMA: &str = "
        CREATE TABLE genp (
            rowid INTEGER PRIMARY KEY AUTOINCREMENT,
            cdat REAL, mdat REAL, desc BLOB, icmt BLOB, crtr INTEGER, type INTEGER, labl BLOB,
            invi INTEGER, nega INTEGER, gena BLOB,
            acct BLOB NOT NULL DEFAULT '', svce BLOB NOT NULL DEFAULT '', data BLOB,
            agrp TEXT NOT NULL, pdmn TEXT, sync INTEGER NOT NULL DEFAULT 0, tkid TEXT NOT NULL DEFAULT '',
            UNIQUE(acct, svce, agrp, sync, tkid)
        );
        CREATE INDEX genp_svce ON genp(svce);
        CREATE INDEX genp_labl ON genp(labl);
    ";

    fn dict(v: serde_json::Value) -> Dict {
        match Dict::from_json(&v, "") {
            Ok(d) => d,
            Err(e) => panic!("bench dictionary: {e}"),
        }
    }

    fn service(i: usize) -> String {
        format!("svc{}", i % 97)
    }

    fn account(i: usize) -> String {
        format!("user{i}")
    }

    fn label(i: usize) -> String {
        format!("label{}", i % 13)
    }

    /// Which items the repeated calls touch: spread over the keychain.
    fn picks(n: usize, reps: usize) -> Vec<usize> {
        (0..reps).map(|k| (k * 7_919 + n / 2) % n).collect()
    }

    /// Seconds per call of `f` over `items`.
    fn per_call<T>(items: &[T], mut f: impl FnMut(&T)) -> f64 {
        let start = Clock::now();
        for item in items {
            f(item);
        }
        start.elapsed().as_secs_f64() / items.len().max(1) as f64
    }

    /// One figure per operation, in the order printed.
    struct Figures {
        add: f64,
        copy_pk: f64,
        copy_service: f64,
        copy_label: f64,
        update: f64,
        duplicate: f64,
        delete_all: f64,
    }

    impl Figures {
        fn rows(&self) -> [(&'static str, f64); 7] {
            [
                ("add (per item)", self.add),
                ("copy by primary key", self.copy_pk),
                ("copy by service (all)", self.copy_service),
                ("copy by label (all)", self.copy_label),
                ("update by primary key", self.update),
                ("duplicate add", self.duplicate),
                ("delete every item", self.delete_all),
            ]
        }
    }

    fn engine(n: usize, reps: usize) -> Figures {
        let new = || {
            Keychain::new(Platform::Ios, App::default_app(), Device::from_patch(&DevicePatch::default()), Instant(0))
        };
        let adds: Vec<Dict> = (0..n)
            .map(|i| {
                dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": service(i),
                    "kSecAttrAccount": account(i), "kSecAttrLabel": label(i), "kSecValueData": {"utf8": "pw"}}))
            })
            .collect();
        let mut kc = new();
        let add = per_call(&adds, |d| {
            let out = kc.add(d);
            assert_eq!(out.status.name(), "errSecSuccess");
        });
        let picked = picks(n, reps);
        let by_pk: Vec<Dict> = picked
            .iter()
            .map(|&i| {
                dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": service(i),
                    "kSecAttrAccount": account(i), "kSecReturnData": true}))
            })
            .collect();
        let copy_pk = per_call(&by_pk, |q| {
            let out = kc.copy_matching(q);
            assert_eq!(out.count, 1);
        });
        let scans = reps.min(if n > 10_000 { 5 } else { 200 });
        // Every item whose attribute `key` holds `value_of(i)`, for each picked i.
        let mut copy_all_by = |key: &str, value_of: fn(usize) -> String| {
            let queries: Vec<Dict> = picked[..scans]
                .iter()
                .map(|&i| {
                    dict(json!({"kSecClass": "kSecClassGenericPassword", key: value_of(i),
                        "kSecMatchLimit": "kSecMatchLimitAll", "kSecReturnAttributes": true}))
                })
                .collect();
            per_call(&queries, |q| {
                let out = kc.copy_matching(q);
                assert!(out.count >= 1);
            })
        };
        let copy_service = copy_all_by("kSecAttrService", service);
        let copy_label = copy_all_by("kSecAttrLabel", label);
        let updates: Vec<(Dict, Dict)> = picked
            .iter()
            .map(|&i| {
                (
                    dict(json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrService": service(i), "kSecAttrAccount": account(i)})),
                    dict(json!({"kSecValueData": {"utf8": "new"}})),
                )
            })
            .collect();
        let update = per_call(&updates, |(q, a)| {
            let out = kc.update(q, a);
            assert_eq!(out.status.name(), "errSecSuccess");
        });
        let duplicates: Vec<&Dict> = picked.iter().map(|&i| &adds[i]).collect();
        let duplicate = per_call(&duplicates, |d| {
            let out = kc.add(d);
            assert_eq!(out.status.name(), "errSecDuplicateItem");
        });
        let everything = dict(json!({"kSecClass": "kSecClassGenericPassword"}));
        let start = Clock::now();
        let out = kc.delete(&everything);
        let delete_all = start.elapsed().as_secs_f64();
        assert_eq!(out.status.name(), "errSecSuccess");
        Figures { add, copy_pk, copy_service, copy_label, update, duplicate, delete_all }
    }

    /// Every column of a returned row, as a caller reads it.
    fn read_row(row: &rusqlite::Row<'_>) -> Vec<rusqlite::types::Value> {
        (0..row.as_ref().column_count()).filter_map(|c| row.get::<_, rusqlite::types::Value>(c).ok()).collect()
    }

    fn sqlite(n: usize, reps: usize) -> Figures {
        let db = Connection::open_in_memory().expect("an in-memory database");
        db.execute_batch(SCHEMA).expect("the schema");
        let now = 0.0_f64;
        let items: Vec<usize> = (0..n).collect();
        let insert = "INSERT INTO genp (cdat, mdat, labl, acct, svce, data, agrp, pdmn, sync, tkid)
                      VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, 'ak', 0, '')";
        let add = per_call(&items, |&i| {
            let mut st = db.prepare_cached(insert).expect("insert");
            st.execute(params![now, label(i), account(i), service(i), b"pw".as_slice(), GROUP]).expect("a new item");
        });
        let picked = picks(n, reps);
        let copy_pk = per_call(&picked, |&i| {
            let mut st = db
                .prepare_cached(
                    "SELECT data FROM genp WHERE acct = ?1 AND svce = ?2 AND agrp = ?3 AND sync = 0 AND tkid = '' LIMIT 1",
                )
                .expect("select by key");
            let data: Vec<u8> = st.query_row(params![account(i), service(i), GROUP], |r| r.get(0)).expect("one row");
            assert_eq!(data, b"pw");
        });
        let scans = reps.min(if n > 10_000 { 5 } else { 200 });
        let all_of = |column: &str, value: String| {
            let sql = format!("SELECT * FROM genp WHERE {column} = ?1 AND agrp = ?2 AND sync = 0");
            let mut st = db.prepare_cached(&sql).expect("select by attribute");
            let rows: Vec<Vec<rusqlite::types::Value>> = st
                .query_map(params![value, GROUP], |r| Ok(read_row(r)))
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows read");
            assert!(!rows.is_empty());
        };
        let copy_service = per_call(&picked[..scans], |&i| all_of("svce", service(i)));
        let copy_label = per_call(&picked[..scans], |&i| all_of("labl", label(i)));
        let update = per_call(&picked, |&i| {
            let mut st = db
                .prepare_cached(
                    "UPDATE genp SET data = ?1, mdat = ?2 WHERE acct = ?3 AND svce = ?4 AND agrp = ?5 AND sync = 0 AND tkid = ''",
                )
                .expect("update");
            let changed =
                st.execute(params![b"new".as_slice(), now, account(i), service(i), GROUP]).expect("an update");
            assert_eq!(changed, 1);
        });
        let duplicate = per_call(&picked, |&i| {
            let mut st = db.prepare_cached(insert).expect("insert");
            let err = st.execute(params![now, label(i), account(i), service(i), b"pw".as_slice(), GROUP]);
            assert!(
                matches!(err, Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation)
            );
        });
        let start = Clock::now();
        let deleted = db.execute("DELETE FROM genp WHERE agrp = ?1 AND sync = 0", params![GROUP]).expect("delete");
        let delete_all = start.elapsed().as_secs_f64();
        assert_eq!(deleted, n);
        Figures { add, copy_pk, copy_service, copy_label, update, duplicate, delete_all }
    }

    pub fn run() {
        println!("keychain engine against SQLite {} in memory (native, bench profile)", rusqlite::version());
        println!("{:>8} | {:<22} | {:>14} | {:>14} | {:>7}", "items", "call", "engine", "SQLite", "ratio");
        for n in [10usize, 1_000, 100_000] {
            let reps = if n > 10_000 { 200 } else { 2_000 };
            let (ours, theirs) = (engine(n, reps), sqlite(n, reps));
            for ((name, a), (_, b)) in ours.rows().into_iter().zip(theirs.rows()) {
                println!("{n:>8} | {name:<22} | {:>11.2} µs | {:>11.2} µs | {:>7.2}", a * 1e6, b * 1e6, a / b);
            }
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    against_sqlite::run();
}
