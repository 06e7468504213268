//! Campaign plans for dispatch: a campaign's stored definition compiled once per worker, and each message's
//! content built from it (text rendered, picture painted, link signed).

use super::api_plan::ApiPlans;
use super::context::template_context;
use super::media::{Attachment, MediaCache, picture_fields};
use canvass_audience::segment::Schema;
use canvass_campaigns::compliance::SendWindow;
use canvass_campaigns::definition::{CampaignDefinition, Compiled, CompiledVariant, Media};
use canvass_campaigns::links::LinkSigner;
use canvass_campaigns::ports::CampaignStore;
use canvass_campaigns::sender::SenderPool;
use canvass_connectors::fetch::Fetcher;
use canvass_connectors::{
    CardMedia, Content, MediaPart, MmsContent, RcsContent, RichCard, Suggestion,
};
use canvass_dispatch::plan::{ComposeError, MessagePlan, Plans};
use canvass_dispatch::ports::Claimed;
use canvass_store::Store;
use canvass_types::{CampaignId, Channel};
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where tracked links and landing pages point, and how their tokens are signed.
#[derive(Clone)]
pub struct LinkBase {
    /// e.g. `https://c.example.org` (no trailing slash).
    pub base: String,
    /// Signs per-message tokens.
    pub signer: LinkSigner,
}

impl LinkBase {
    /// The tracked redirect for a message.
    pub fn redirect(&self, message: i64) -> String {
        format!("{}/r/{}", self.base, self.signer.token(message))
    }

    /// The landing page showing a message's media.
    pub fn landing(&self, message: i64) -> String {
        format!("{}/l/{}", self.base, self.signer.token(message))
    }

    /// The media file behind a landing page (what RCS cards fetch).
    pub fn media(&self, message: i64) -> String {
        format!("{}/l/{}/media", self.base, self.signer.token(message))
    }
}

/// Compiled campaigns, by id, for one worker; and the plans of messages sent through the API.
pub struct CampaignPlans {
    store: Store,
    links: LinkBase,
    media: Arc<MediaCache>,
    cache: Mutex<HashMap<CampaignId, Arc<CampaignPlan>>>,
    api: ApiPlans,
}

impl CampaignPlans {
    /// Plans over `store`; API messages' media are fetched with `fetcher`.
    pub fn new(
        store: Store,
        links: LinkBase,
        media: Arc<MediaCache>,
        fetcher: Arc<Fetcher>,
    ) -> Self {
        CampaignPlans {
            api: ApiPlans::new(store.clone(), fetcher),
            store,
            links,
            media,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The compiled plan of `id` (cached).
    pub async fn load(&self, id: CampaignId) -> Result<Arc<CampaignPlan>, ComposeError> {
        if let Some(plan) = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return Ok(plan.clone());
        }
        let record = self
            .store
            .campaign(id)
            .await
            .map_err(|e| ComposeError::new("store_error", e.to_string()))?
            .ok_or_else(|| {
                ComposeError::new("no_campaign", format!("campaign {} does not exist", id.0))
            })?;
        let compiled = compile_stored(&self.store, record.tenant, &record.definition).await?;
        let plan = Arc::new(CampaignPlan {
            senders: compiled.sender_pool(),
            compiled,
            links: self.links.clone(),
            media: self.media.clone(),
        });
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, plan.clone());
        Ok(plan)
    }
}

/// Compiles a stored definition against the tenant's current schema.
pub async fn compile_stored(
    store: &Store,
    tenant: canvass_types::TenantId,
    definition: &str,
) -> Result<Compiled, ComposeError> {
    let definition = CampaignDefinition::from_json_str(definition)
        .map_err(|e| ComposeError::new("bad_definition", e.to_string()))?;
    let kinds = store
        .region_kinds(tenant)
        .await
        .map_err(|e| ComposeError::new("store_error", e.to_string()))?;
    let centroid = |zip: &str| canvass_audience::geo::zip_info(zip).map(|z| (z.lat, z.lon));
    definition
        .compile(&Schema {
            region_kinds: kinds,
            zip_centroid: &centroid,
        })
        .map_err(|problems| {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            ComposeError::new("bad_definition", text.join("; "))
        })
}

impl Plans for CampaignPlans {
    fn plan<'a>(
        &'a self,
        message: &'a Claimed,
    ) -> BoxFuture<'a, Result<Arc<dyn MessagePlan>, ComposeError>> {
        Box::pin(async move {
            match message.campaign {
                Some(id) => {
                    let plan: Arc<dyn MessagePlan> = self.load(id).await?;
                    Ok(plan)
                }
                None => self.api.load(message).await,
            }
        })
    }
}

/// One compiled campaign.
pub struct CampaignPlan {
    compiled: Compiled,
    senders: SenderPool,
    links: LinkBase,
    media: Arc<MediaCache>,
}

impl CampaignPlan {
    /// A variant by name.
    pub fn variant_named(&self, name: &str) -> Option<&CompiledVariant> {
        self.compiled.variant(name)
    }

    fn variant(&self, name: &str) -> Result<&CompiledVariant, ComposeError> {
        self.compiled
            .variant(name)
            .or_else(|| self.compiled.variant(&self.compiled.default_variant))
            .ok_or_else(|| {
                ComposeError::new(
                    "no_variant",
                    format!("variant {name:?} is not in the campaign"),
                )
            })
    }

    /// The attachment of a variant for a recipient, if it has media.
    pub async fn attachment(
        &self,
        variant: &CompiledVariant,
        context: &serde_json::Value,
    ) -> Result<Option<Arc<Attachment>>, ComposeError> {
        let Some(media) = &variant.media else {
            return Ok(None);
        };
        match media {
            Media::Video { path } | Media::File { path } => self.media.file(path).map(Some),
            Media::Picture { path, .. } => {
                let mut vars = std::collections::BTreeMap::new();
                for (name, template) in &variant.media_vars {
                    let value = template.render(context).map_err(|e| {
                        ComposeError::new("template_error", format!("media var {name}: {e}"))
                    })?;
                    vars.insert(name.clone(), value);
                }
                let fields = picture_fields(context, &vars);
                if let Some(hit) = self.media.picture_cached(path, &fields) {
                    return Ok(Some(hit));
                }
                // Painting is CPU-bound: at most one render per core at a time, so thousands of messages in
                // flight queue here instead of each holding a blocking thread and a canvas.
                let _turn = self
                    .media
                    .render_turn()
                    .await
                    .map_err(|e| ComposeError::new("media_error", e.to_string()))?;
                if let Some(hit) = self.media.picture_cached(path, &fields) {
                    return Ok(Some(hit));
                }
                let cache = self.media.clone();
                let path = path.clone();
                tokio::task::spawn_blocking(move || cache.picture(&path, &fields))
                    .await
                    .map_err(|e| ComposeError::new("media_error", e.to_string()))?
                    .map(Some)
            }
        }
    }
}

impl MessagePlan for CampaignPlan {
    fn channels(&self) -> &[Channel] {
        &self.compiled.channels
    }

    fn window(&self) -> Option<SendWindow> {
        self.compiled.window
    }

    fn pace(&self) -> Option<f64> {
        self.compiled.pace
    }

    fn sender(&self, message: &Claimed) -> String {
        self.senders
            .choose(&message.phone)
            .unwrap_or_default()
            .to_owned()
    }

    fn validity(&self) -> Option<Duration> {
        None
    }

    fn content<'a>(
        &'a self,
        message: &'a Claimed,
        channel: Channel,
        with_link: bool,
    ) -> BoxFuture<'a, Result<Content, ComposeError>> {
        Box::pin(async move {
            let variant = self.variant(&message.variant)?;
            let link = self
                .compiled
                .link
                .as_ref()
                .map(|_| self.links.redirect(message.id.0));
            let context = template_context(message, link.as_deref());
            let render = |t: &canvass_campaigns::text::MessageTemplate| {
                t.render(&context)
                    .map_err(|e| ComposeError::new("template_error", e.to_string()))
            };
            let text = render(&variant.text)?;
            match channel {
                Channel::Sms => {
                    if with_link && variant.media.is_some() {
                        Ok(Content::Text(format!(
                            "{text}\n{}",
                            self.links.landing(message.id.0)
                        )))
                    } else {
                        Ok(Content::Text(text))
                    }
                }
                Channel::Mms => {
                    let subject = variant.subject.as_ref().map(render).transpose()?;
                    let mut parts = Vec::new();
                    if let Some(a) = self.attachment(variant, &context).await? {
                        parts.push(MediaPart {
                            content_type: a.content_type.clone(),
                            name: a.name.clone(),
                            data: a.bytes.clone(),
                        });
                    }
                    parts.push(MediaPart {
                        content_type: "text/plain; charset=utf-8".into(),
                        name: "text.txt".into(),
                        data: text.into_bytes().into(),
                    });
                    Ok(Content::Mms(MmsContent { subject, parts }))
                }
                Channel::Rcs => {
                    let suggestions = |replies: &[String]| {
                        replies
                            .iter()
                            .map(|r| Suggestion::Reply {
                                text: r.clone(),
                                postback: r.to_lowercase(),
                            })
                            .collect::<Vec<_>>()
                    };
                    let content = match (&variant.card, &variant.media) {
                        (Some(card), media) => RcsContent {
                            card: Some(RichCard {
                                title: card.title.clone(),
                                description: Some(card.description.clone().unwrap_or(text)),
                                media: media.as_ref().map(|_| CardMedia {
                                    file_url: self.links.media(message.id.0),
                                    thumbnail_url: None,
                                    height: "MEDIUM".into(),
                                }),
                                suggestions: Vec::new(),
                            }),
                            suggestions: suggestions(&card.replies),
                            ..RcsContent::default()
                        },
                        (None, _) => RcsContent {
                            text: Some(text),
                            ..RcsContent::default()
                        },
                    };
                    Ok(Content::Rcs(content))
                }
            }
        })
    }
}
