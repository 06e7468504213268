//! Tests of region import and lookup. Every layer file is written by the tests themselves.

mod geojson_tests;
mod index_tests;
mod never_panics;
mod shapefile_tests;
mod support;
mod text_tests;
