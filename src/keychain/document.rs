use crate::document::DocError;
pub struct KeychainDoc;
pub fn parse(_v: serde_json::Value) -> Result<KeychainDoc, DocError> { Ok(KeychainDoc) }
