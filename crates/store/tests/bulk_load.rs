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

/// The E.164 phones of a synthetic file, first appearance only, in file order: the importer's batches of 10,000
/// are consecutive runs of these.
fn distinct_phones(csv: &[u8]) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.expect("synthetic row");
        let phone = canvass_audience::phone::parse_phone(&record[0])
            .expect("synthetic phones are valid")
            .msisdn
            .as_str()
            .to_owned();
        if seen.insert(phone.clone()) {
            out.push(phone);
        }
    }
    out
}

/// Makes the database itself refuse one phone, as a full disk or a constraint would: a real failure mid-import.
async fn refuse_phone(store: &Store, phone: &str) {
    match store {
        Store::Sqlite(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE TRIGGER refuse_one BEFORE INSERT ON contacts WHEN NEW.phone = '{phone}' \
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )))
            .execute(pool)
            .await
            .expect("trigger");
        }
        Store::Postgres(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF NEW.phone = '{phone}' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
                 RETURN NEW; END $$"
            )))
            .execute(pool)
            .await
            .expect("function");
            sqlx::query(
                "CREATE TRIGGER refuse_one BEFORE INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION refuse_one()",
            )
            .execute(pool)
            .await
            .expect("trigger");
        }
    }
}

/// A bulk import on SQLite keeps many batches in one transaction; a batch the database refuses must still be
/// rolled back whole, and every batch before it kept, exactly as with one transaction per batch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_batch_is_rolled_back_whole_and_the_batches_before_it_stay() {
    let mut csv = Vec::new();
    write_synthetic_csv(
        &mut csv,
        SynthOptions {
            rows: 36_000,
            seed: 5,
            bad_row_every: 0,
            faults_per_mille: 0,
        },
    )
    .expect("synthetic file");
    let phones = distinct_phones(&csv);
    assert!(
        phones.len() > 30_000,
        "enough distinct phones for three batches"
    );
    let mut all: Vec<String> = DEFERRED.iter().map(|s| s.to_string()).collect();
    all.sort();

    for b in support::backends("refused").await {
        // The third batch holds distinct phones 20,000..30,000; the database refuses one in its middle.
        refuse_phone(&b.store, &phones[25_000]).await;
        let mut writer = ContactWriter::new(b.store.clone(), false);
        let result = import_csv(
            Cursor::new(csv.clone()),
            std::io::sink(),
            ImportOptions::default(),
            &mut writer,
            |_| {},
        )
        .await;
        let error = result
            .expect_err("the refused batch fails the import")
            .to_string();
        assert!(error.contains("refused by the test"), "{}: {error}", b.name);
        assert_eq!(
            b.store
                .contact_count(TenantId::DEFAULT)
                .await
                .expect("count"),
            20_000,
            "{}: exactly the two batches before the refused one",
            b.name
        );
        for (i, kept) in [(0, true), (19_999, true), (20_000, false), (24_999, false)] {
            let found = b
                .store
                .contact_by_phone(TenantId::DEFAULT, &phones[i])
                .await
                .expect("lookup")
                .is_some();
            assert_eq!(found, kept, "{}: distinct phone #{i}", b.name);
        }
        if matches!(b.store, Store::Sqlite(_)) {
            assert_eq!(
                sqlite_indexes(&b.store).await,
                all,
                "indexes rebuilt after the failure"
            );
        }
        b.cleanup().await;
    }
}

/// An issue first named deep into a bulk import is created on the importer's own connection: the import holds
/// SQLite's write lock across batches, and another connection would wait for it until the busy timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issue_first_seen_in_a_later_batch_is_created_and_linked() {
    let mut csv = Vec::new();
    write_synthetic_csv(
        &mut csv,
        SynthOptions {
            rows: 25_000,
            seed: 7,
            bad_row_every: 0,
            faults_per_mille: 0,
        },
    )
    .expect("synthetic file");
    let header =
        String::from_utf8_lossy(csv.split(|&b| b == b'\n').next().expect("header")).into_owned();
    assert!(
        header.starts_with("phone,first_name,last_name,zip,issues,"),
        "{header}"
    );
    let columns = header.split(',').count();
    let mut late = vec!["(215) 867-5309", "Late", "Comer", "19103", "late arrivals"];
    late.resize(columns, "");
    csv.extend_from_slice(format!("{}\n", late.join(",")).as_bytes());

    for b in support::backends("late_issue").await {
        let mut writer = ContactWriter::new(b.store.clone(), false);
        let summary = import_csv(
            Cursor::new(csv.clone()),
            std::io::sink(),
            ImportOptions::default(),
            &mut writer,
            |_| {},
        )
        .await
        .expect("import");
        assert_eq!(summary.rejected, 0, "{}", b.name);
        let contact = b
            .store
            .contact_by_phone(TenantId::DEFAULT, "+12158675309")
            .await
            .expect("lookup")
            .expect("the last row's contact");
        assert!(
            contact.issues.contains(&"late arrivals".to_owned()),
            "{}: {:?}",
            b.name,
            contact.issues
        );
        b.cleanup().await;
    }
}
