//! Large imports: on SQLite the secondary indexes are dropped while the rows go in and rebuilt at the end; a
//! restart after an interrupted import brings back any index left missing. On PostgreSQL the same import must
//! give the same results with its indexes untouched.

mod support;

use canvass_audience::import::{ImportOptions, import_csv};
use canvass_audience::synth::{SynthOptions, write_synthetic_csv};
use canvass_store::{ContactWriter, Store};
use canvass_types::TenantId;
use sqlx::Row;
use std::io::Cursor;

const DEFERRED: [&str; 5] = [
    "contacts_state",
    "contacts_zip",
    "contacts_lat",
    "contact_issues_by_issue",
    "contact_regions_by_region",
];

/// The deferrable indexes that exist right now (SQLite only).
async fn sqlite_indexes(store: &Store) -> Vec<String> {
    let Store::Sqlite(pool) = store else {
        return Vec::new();
    };
    let mut names: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(pool)
    .await
    .expect("list indexes")
    .iter()
    .map(|r| r.get::<String, _>(0))
    .filter(|n| DEFERRED.contains(&n.as_str()))
    .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_import_defers_indexes_and_rebuilds_them() {
    let mut csv = Vec::new();
    let rows = 12_000;
    write_synthetic_csv(
        &mut csv,
        SynthOptions {
            rows,
            seed: 3,
            bad_row_every: 0,
            faults_per_mille: 0,
        },
    )
    .expect("synthetic file");
    let mut all: Vec<String> = DEFERRED.iter().map(|s| s.to_string()).collect();
    all.sort();

    for b in support::backends("bulk").await {
        let sqlite = matches!(b.store, Store::Sqlite(_));
        if sqlite {
            assert_eq!(sqlite_indexes(&b.store).await, all, "indexes before");
        }
        let mut writer = ContactWriter::new(b.store.clone(), false);
        let mut seen_during = Vec::new();
        let store = b.store.clone();
        let summary = import_csv(
            Cursor::new(csv.clone()),
            std::io::sink(),
            ImportOptions::default(),
            &mut writer,
            |_| {
                // Progress runs between batches, on the importing task: look at the schema there.
                let names = tokio::task::block_in_place(|| {
                    tokio::runtime::Handle::current().block_on(sqlite_indexes(&store))
                });
                seen_during.push(names);
            },
        )
        .await
        .expect("import");
        assert_eq!(summary.rows, rows, "{}", b.name);
        assert_eq!(summary.rejected, 0, "{}", b.name);
        assert_eq!(
            b.store
                .contact_count(TenantId::DEFAULT)
                .await
                .expect("count") as u64,
            summary.imported,
            "{}",
            b.name
        );
        if sqlite {
            assert!(
                seen_during.first().is_some_and(Vec::is_empty),
                "indexes were still there after the first batch: {seen_during:?}"
            );
            assert_eq!(sqlite_indexes(&b.store).await, all, "indexes after");

            // An import killed mid-way leaves indexes missing; the next start recreates them.
            if let Store::Sqlite(pool) = &b.store {
                sqlx::query("DROP INDEX contacts_zip")
                    .execute(pool)
                    .await
                    .expect("drop");
            }
            b.store.migrate().await.expect("migrate");
            assert_eq!(sqlite_indexes(&b.store).await, all, "indexes after restart");
        }
        b.cleanup().await;
    }
}
