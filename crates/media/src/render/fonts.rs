//! System fonts, shared by both template kinds: one font database (the SVG renderer's own), faces loaded once per
//! process, and per-character fallback so that a name in a script the template's font lacks still renders.
//!
//! Fallback order for a character the chosen font lacks: the layer's own fallbacks, then a list of broad-coverage
//! families (Noto per script, DejaVu), then any installed face that has the character. Answers are cached per
//! character, so a batch pays the search once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use ab_glyph::{Font, FontRef, FontVec};
use resvg::usvg::fontdb::{self, Database, Family, Query, Style, Weight};

/// Families tried, in order, for a character the layer's fonts lack. Debian's fonts-noto-core provides the
/// per-script Noto Sans families; CJK needs fonts-noto-cjk ("Noto Sans CJK SC").
const FALLBACK_FAMILIES: &[&str] = &[
    "Noto Sans",
    "DejaVu Sans",
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Devanagari",
    "Noto Sans Bengali",
    "Noto Sans Gurmukhi",
    "Noto Sans Gujarati",
    "Noto Sans Tamil",
    "Noto Sans Telugu",
    "Noto Sans Kannada",
    "Noto Sans Malayalam",
    "Noto Sans Thai",
    "Noto Sans Lao",
    "Noto Sans Khmer",
    "Noto Sans Myanmar",
    "Noto Sans Sinhala",
    "Noto Sans Armenian",
    "Noto Sans Georgian",
    "Noto Sans Ethiopic",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
];

/// Fallback face chosen per (character, weight); `None` when no installed face has the character.
type FallbackChoices = HashMap<(char, u16), Option<fontdb::ID>>;

/// One loaded face: outlines through ab_glyph, shaping through harfrust (its tables parsed once, here).
pub(crate) struct Face {
    pub(crate) font: FontVec,
    pub(crate) index: u32,
    shaper: OnceLock<Option<harfrust::ShaperData>>,
}

impl Face {
    fn new(font: FontVec, index: u32) -> Face {
        Face {
            font,
            index,
            shaper: OnceLock::new(),
        }
    }

    /// The shaping data, built on first use; `None` when the font's tables do not parse.
    pub(crate) fn shaper_data(&self) -> Option<&harfrust::ShaperData> {
        self.shaper
            .get_or_init(|| {
                harfrust::FontRef::from_index(self.font.as_slice(), self.index)
                    .ok()
                    .map(|f| harfrust::ShaperData::new(&f))
            })
            .as_ref()
    }
}

/// The process's font database: every system font, scanned once.
pub(crate) fn database() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = Database::new();
        db.load_system_fonts();
        Arc::new(db)
    })
    .clone()
}

fn loaded() -> &'static Mutex<HashMap<fontdb::ID, Arc<Face>>> {
    static LOADED: OnceLock<Mutex<HashMap<fontdb::ID, Arc<Face>>>> = OnceLock::new();
    LOADED.get_or_init(Default::default)
}

/// Finds a family at a weight; `None` when no installed face has that family name.
pub(crate) fn find(family: &str, weight: u16, italic: bool) -> Option<Arc<Face>> {
    let db = database();
    let query = Query {
        families: &[Family::Name(family)],
        weight: Weight(weight),
        style: if italic { Style::Italic } else { Style::Normal },
        ..Query::default()
    };
    let id = db.query(&query)?;
    load_id(&db, id)
}

/// Loads a font file named directly by a template (relative names are resolved by the caller).
pub(crate) fn load_file(path: &Path) -> Result<Arc<Face>, String> {
    let data = std::fs::read(path).map_err(|e| format!("font {}: {e}", path.display()))?;
    let font = FontVec::try_from_vec(data).map_err(|e| format!("font {}: {e}", path.display()))?;
    Ok(Arc::new(Face::new(font, 0)))
}

fn load_id(db: &Database, id: fontdb::ID) -> Option<Arc<Face>> {
    let mut cache = loaded().lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(face) = cache.get(&id) {
        return Some(face.clone());
    }
    let (font, index) = db.with_face_data(id, |data, index| {
        FontVec::try_from_vec_and_index(data.to_vec(), index)
            .ok()
            .map(|f| (f, index))
    })??;
    let face = Arc::new(Face::new(font, index));
    cache.insert(id, face.clone());
    Some(face)
}

/// A face that has a glyph for `c`, searched as the module doc says; `None` when no installed font has it.
pub(crate) fn fallback_for(c: char, weight: u16) -> Option<Arc<Face>> {
    static CHOSEN: OnceLock<Mutex<FallbackChoices>> = OnceLock::new();
    let chosen = CHOSEN.get_or_init(Default::default);
    let db = database();
    let cached = chosen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&(c, weight))
        .copied();
    let id = match cached {
        Some(id) => id,
        None => {
            let id = search(&db, c, weight);
            chosen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert((c, weight), id);
            id
        }
    };
    load_id(&db, id?)
}

fn search(db: &Database, c: char, weight: u16) -> Option<fontdb::ID> {
    let has = |id: fontdb::ID| {
        db.with_face_data(id, |data, index| {
            FontRef::try_from_slice_and_index(data, index).is_ok_and(|f| f.glyph_id(c).0 != 0)
        })
        .unwrap_or(false)
    };
    for family in FALLBACK_FAMILIES {
        let query = Query {
            families: &[Family::Name(family)],
            weight: Weight(weight),
            ..Query::default()
        };
        if let Some(id) = db.query(&query).filter(|&id| has(id)) {
            return Some(id);
        }
    }
    db.faces().map(|f| f.id).find(|&id| has(id))
}
