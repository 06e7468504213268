//! Region layers: replacing a layer, loading its index, and assigning contacts to regions by point-in-polygon.

use crate::sql::{Statement, Value};
use crate::{Store, StoreError};
use canvass_audience::geo::GeoSource;
use canvass_audience::import::RegionLocator;
use canvass_audience::regions::{RegionIndex, RegionLayer, from_geojson, to_geojson};
use canvass_types::TenantId;
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How contacts were assigned to a layer's regions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RegionAssignmentCounts {
    /// Assigned from the contact's own point.
    pub by_point: u64,
    /// Assigned from the ZIP centroid.
    pub by_zip_centroid: u64,
    /// With a location, but in no region of the layer.
    pub outside: u64,
}

/// An imported layer, for listings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LayerSummary {
    /// The layer kind, e.g. `congressional_district`.
    pub kind: String,
    /// The file it came from.
    pub source: String,
    /// Number of regions.
    pub regions: i64,
    /// Contacts assigned to one of its regions.
    pub contacts: i64,
}

impl Store {
    /// Replaces the tenant's layer of this kind with `layer` (regions and memberships of the old one go), and
    /// returns the new layer's id. Contacts are assigned separately by [`Store::assign_regions`].
    pub async fn replace_region_layer(
        &self,
        tenant: TenantId,
        layer: &RegionLayer,
        source: &str,
    ) -> Result<i64, StoreError> {
        let backend = self.backend();
        let mut delete = Statement::new(backend);
        delete
            .push("DELETE FROM region_layers WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        delete
            .push(" AND kind = ")
            .bind(Value::Text(Some(layer.kind.clone())));
        let mut insert = Statement::new(backend);
        insert
            .push("INSERT INTO region_layers (tenant_id, kind, source) VALUES (")
            .bind(Value::Int(Some(tenant.0)));
        insert
            .push(", ")
            .bind(Value::Text(Some(layer.kind.clone())))
            .push(", ");
        insert
            .bind(Value::Text(Some(source.to_owned())))
            .push(") RETURNING id");

        let rows = |layer_id: i64| -> Vec<Statement> {
            layer
                .regions
                .chunks(500)
                .map(|chunk| {
                    let mut s = Statement::new(backend);
                    s.push("INSERT INTO regions (layer_id, name, geometry, min_lon, min_lat, max_lon, max_lat) VALUES ");
                    for (i, region) in chunk.iter().enumerate() {
                        let bbox = region.bounding_box();
                        s.push(if i == 0 { "(" } else { ", (" });
                        s.bind(Value::Int(Some(layer_id))).push(", ").bind(Value::Text(Some(region.name.clone())));
                        s.push(", ").bind(Value::Text(Some(to_geojson(region))));
                        for v in bbox.map_or([0.0; 4], |b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat]) {
                            s.push(", ").bind(Value::Float(Some(v)));
                        }
                        s.push(")");
                    }
                    s
                })
                .collect()
        };
        // All or nothing: a broken import must leave the previous layer in place.
        let layer_id = match self {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                delete.sqlite().execute(&mut *tx).await?;
                let id: i64 = insert.sqlite().fetch_one(&mut *tx).await?.try_get(0)?;
                for s in rows(id) {
                    s.sqlite().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                id
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                delete.postgres().execute(&mut *tx).await?;
                let id: i64 = insert.postgres().fetch_one(&mut *tx).await?.try_get(0)?;
                for s in rows(id) {
                    s.postgres().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                id
            }
        };
        Ok(layer_id)
    }

    /// Every region layer of the tenant as `(layer_id, index)`.
    pub async fn region_indexes(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(i64, RegionIndex)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT r.layer_id, r.id, r.geometry FROM regions r JOIN region_layers l ON l.id = r.layer_id ");
        s.push("WHERE l.tenant_id = ")
            .bind(Value::Int(Some(tenant.0)))
            .push(" ORDER BY r.layer_id, r.id");
        macro_rules! triples {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                    .collect::<Result<Vec<(i64, i64, String)>, sqlx::Error>>()?
            };
        }
        let rows = match self {
            Store::Sqlite(pool) => triples!(s.sqlite().fetch_all(pool).await?),
            Store::Postgres(pool) => triples!(s.postgres().fetch_all(pool).await?),
        };
        let mut layers: BTreeMap<i64, Vec<_>> = BTreeMap::new();
        for (layer, id, geometry) in rows {
            let shape = from_geojson(&geometry)
                .map_err(|e| StoreError::Corrupt(format!("region {id}: {e}")))?;
            layers.entry(layer).or_default().push((id, shape));
        }
        Ok(layers
            .into_iter()
            .map(|(layer, regions)| (layer, RegionIndex::new(regions)))
            .collect())
    }

    /// A locator over all the tenant's layers, for the importer; `None` when the tenant has no layers.
    pub async fn region_locator(
        &self,
        tenant: TenantId,
    ) -> Result<Option<RegionLocator>, StoreError> {
        let indexes = self.region_indexes(tenant).await?;
        if indexes.is_empty() {
            return Ok(None);
        }
        Ok(Some(Arc::new(move |lon, lat| {
            indexes
                .iter()
                .filter_map(|(layer, index)| index.locate(lon, lat).map(|r| (*layer, r)))
                .collect()
        })))
    }

    /// Assigns every located contact of the tenant to its region of `layer_id`, scanning in id order so memory
    /// stays flat however large the audience is.
    pub async fn assign_regions(
        &self,
        tenant: TenantId,
        layer_id: i64,
        index: &RegionIndex,
    ) -> Result<RegionAssignmentCounts, StoreError> {
        let backend = self.backend();
        let mut counts = RegionAssignmentCounts::default();
        let mut after = 0i64;
        loop {
            let mut s = Statement::new(backend);
            s.push("SELECT id, lat, lon, geo_source FROM contacts WHERE tenant_id = ")
                .bind(Value::Int(Some(tenant.0)));
            s.push(" AND id > ").bind(Value::Int(Some(after)));
            s.push(" AND lat IS NOT NULL AND lon IS NOT NULL ORDER BY id LIMIT 5000");
            macro_rules! located {
                ($rows:expr) => {
                    $rows
                        .iter()
                        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
                        .collect::<Result<Vec<(i64, f64, f64, Option<String>)>, sqlx::Error>>()?
                };
            }
            let page = match self {
                Store::Sqlite(pool) => located!(s.sqlite().fetch_all(pool).await?),
                Store::Postgres(pool) => located!(s.postgres().fetch_all(pool).await?),
            };
            let Some(last) = page.last() else { break };
            after = last.0;
            let mut insert = Statement::new(backend);
            let mut any = false;
            for (id, lat, lon, source) in &page {
                let Some(region) = index.locate(*lon, *lat) else {
                    counts.outside += 1;
                    continue;
                };
                let method = if source.as_deref() == Some("point") {
                    GeoSource::Point
                } else {
                    GeoSource::Zip
                };
                match method {
                    GeoSource::Point => counts.by_point += 1,
                    _ => counts.by_zip_centroid += 1,
                }
                insert.push(if any {
                    ", ("
                } else {
                    "INSERT INTO contact_regions (contact_id, layer_id, region_id, method) VALUES ("
                });
                any = true;
                insert
                    .bind(Value::Int(Some(*id)))
                    .push(", ")
                    .bind(Value::Int(Some(layer_id)))
                    .push(", ");
                insert
                    .bind(Value::Int(Some(region)))
                    .push(", ")
                    .bind(Value::Text(Some(method.as_str().to_owned())));
                insert.push(")");
            }
            if any {
                insert.push(" ON CONFLICT (contact_id, layer_id) DO UPDATE SET region_id = excluded.region_id, ");
                insert.push("method = excluded.method");
                crate::execute!(self, insert)?;
            }
        }
        Ok(counts)
    }

    /// The tenant's layers with their sizes.
    pub async fn region_layers(&self, tenant: TenantId) -> Result<Vec<LayerSummary>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT l.kind, l.source, (SELECT count(*) FROM regions r WHERE r.layer_id = l.id), ",
        );
        s.push("(SELECT count(*) FROM contact_regions cr WHERE cr.layer_id = l.id) FROM region_layers l ");
        s.push("WHERE l.tenant_id = ")
            .bind(Value::Int(Some(tenant.0)))
            .push(" ORDER BY l.kind");
        macro_rules! layers {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| {
                        Ok(LayerSummary {
                            kind: r.try_get(0)?,
                            source: r.try_get(1)?,
                            regions: r.try_get(2)?,
                            contacts: r.try_get(3)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            };
        }
        Ok(match self {
            Store::Sqlite(pool) => layers!(s.sqlite().fetch_all(pool).await?),
            Store::Postgres(pool) => layers!(s.postgres().fetch_all(pool).await?),
        })
    }
}
