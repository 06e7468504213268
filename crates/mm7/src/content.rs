//! The multimedia content an MM7 request carries, as a tree of MIME parts: a single part, or a nested
//! multipart/related (a SMIL presentation and its media) or multipart/mixed.

/// One MIME part of the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Media type without parameters, lower case: `image/jpeg`, `multipart/related`, …
    pub content_type: String,
    /// `charset` parameter.
    pub charset: Option<String>,
    /// File name: the Content-Type `name` parameter (or, when reading, Content-Disposition `filename`).
    pub name: Option<String>,
    /// Content-ID without the angle brackets.
    pub content_id: Option<String>,
    /// Content-Location.
    pub content_location: Option<String>,
    /// The bytes, or the sub-parts of a multipart.
    pub body: PartBody,
}

/// What a [`Part`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartBody {
    /// A leaf part's decoded bytes.
    Data(Vec<u8>),
    /// The parts of a multipart.
    Multipart {
        /// `start` parameter of a multipart/related: the Content-ID of the root part (the SMIL).
        start: Option<String>,
        /// The sub-parts, in order.
        parts: Vec<Part>,
    },
}

impl Part {
    /// A leaf part.
    pub fn data(content_type: impl Into<String>, data: impl Into<Vec<u8>>) -> Part {
        Part {
            content_type: content_type.into(),
            charset: None,
            name: None,
            content_id: None,
            content_location: None,
            body: PartBody::Data(data.into()),
        }
    }

    /// A multipart/related whose root (`start`) is the first part, typically the SMIL.
    pub fn related(parts: Vec<Part>) -> Part {
        let start = parts.first().and_then(|part| part.content_id.clone());
        Part {
            body: PartBody::Multipart { start, parts },
            ..Part::data("multipart/related", Vec::new())
        }
    }

    /// A multipart/mixed.
    pub fn mixed(parts: Vec<Part>) -> Part {
        Part {
            body: PartBody::Multipart { start: None, parts },
            ..Part::data("multipart/mixed", Vec::new())
        }
    }

    /// Sets the Content-ID.
    pub fn with_content_id(mut self, content_id: impl Into<String>) -> Part {
        self.content_id = Some(content_id.into());
        self
    }

    /// Sets the file name.
    pub fn with_name(mut self, name: impl Into<String>) -> Part {
        self.name = Some(name.into());
        self
    }

    /// Sets the Content-Location.
    pub fn with_location(mut self, location: impl Into<String>) -> Part {
        self.content_location = Some(location.into());
        self
    }

    /// Sets the charset.
    pub fn with_charset(mut self, charset: impl Into<String>) -> Part {
        self.charset = Some(charset.into());
        self
    }

    /// The leaf parts, depth first (a leaf part yields itself).
    pub fn leaves(&self) -> Vec<&Part> {
        match &self.body {
            PartBody::Data(_) => vec![self],
            PartBody::Multipart { parts, .. } => parts.iter().flat_map(Part::leaves).collect(),
        }
    }

    /// Every Content-ID in this tree.
    pub(crate) fn content_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.content_id.iter().map(String::as_str).collect();
        if let PartBody::Multipart { parts, .. } = &self.body {
            ids.extend(parts.iter().flat_map(Part::content_ids));
        }
        ids
    }
}
