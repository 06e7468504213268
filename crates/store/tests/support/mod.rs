//! Opens the same suite on SQLite always, and on PostgreSQL when `CANVASS_TEST_POSTGRES` is set (to a URL, or to
//! `1` for the local test database). Each Postgres test gets its own schema, dropped afterwards.

use canvass_store::Store;

pub struct Backend {
    pub name: &'static str,
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

impl Backend {
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((url, schema)) = self.schema {
            let admin = sqlx::PgPool::connect(&url).await.expect("connect postgres");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE"
            )))
            .execute(&admin)
            .await
            .expect("drop schema");
        }
    }
}

pub fn postgres_url() -> Option<String> {
    let v = std::env::var("CANVASS_TEST_POSTGRES").ok()?;
    Some(if v.starts_with("postgres") {
        v
    } else {
        "postgres://postgres@127.0.0.1:5432/test".to_owned()
    })
}

pub async fn backends(test: &str) -> Vec<Backend> {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("canvass.db").display());
    let sqlite = Store::open(&url).await.expect("open sqlite");
    sqlite.migrate().await.expect("migrate sqlite");
    let mut out = vec![Backend {
        name: "sqlite",
        store: sqlite,
        _dir: Some(dir),
        schema: None,
    }];
    if let Some(url) = postgres_url() {
        let schema = format!("t_{}_{}", test, std::process::id());
        let admin = sqlx::PgPool::connect(&url).await.expect("connect postgres");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&admin)
        .await
        .expect("drop schema");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&admin)
            .await
            .expect("schema");
        admin.close().await;
        let sep = if url.contains('?') { '&' } else { '?' };
        let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
        let pg = Store::open(&scoped).await.expect("open postgres");
        pg.migrate().await.expect("migrate postgres");
        out.push(Backend {
            name: "postgres",
            store: pg,
            _dir: None,
            schema: Some((url, schema)),
        });
    } else if std::env::var_os("CI").is_some() {
        panic!("CI must run the store suite on PostgreSQL too: set CANVASS_TEST_POSTGRES");
    }
    out
}
