//! What one step did to the keychain: its items before and after, matched by persistent
//! reference (stable across updates), as rows added, changed (with the attributes that
//! changed), removed, or kept as they were.

use serde_json::Value;

use super::row::Row;

const PERSISTENT_REF: &str = "kSecValuePersistentRef";

/// How an item fared in the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed,
    Removed,
    Same,
}

impl Change {
    /// The word the page shows (statuses are never told by colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Changed => "changed",
            Change::Removed => "removed",
            Change::Same => "unchanged",
        }
    }
}

/// One item in the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub change: Change,
    /// The item after the step (before it, for a removed item).
    pub row: Row,
    /// The attributes whose values differ (for a changed item), in the item's order.
    pub keys: Vec<String>,
}

fn reference(row: &Row) -> Option<&Value> {
    row.0.get(PERSISTENT_REF)
}

/// Compares the keychain before and after a step: every item after it, in order (added,
/// changed or unchanged), then the items it removed. Items without a persistent reference
/// are matched by equality.
pub fn diff(before: &[Row], after: &[Row]) -> Vec<RowChange> {
    let find = |row: &Row, among: &[Row]| -> Option<usize> {
        match reference(row) {
            Some(r) => among.iter().position(|o| reference(o) == Some(r)),
            None => among.iter().position(|o| o == row),
        }
    };
    let mut out: Vec<RowChange> = after
        .iter()
        .map(|row| match find(row, before) {
            None => RowChange { change: Change::Added, row: row.clone(), keys: Vec::new() },
            Some(i) => {
                let old = &before[i];
                let mut keys: Vec<String> =
                    row.0.iter().filter(|(k, v)| old.0.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect();
                keys.extend(old.0.keys().filter(|k| !row.0.contains_key(*k)).cloned());
                let change = if keys.is_empty() { Change::Same } else { Change::Changed };
                RowChange { change, row: row.clone(), keys }
            }
        })
        .collect();
    out.extend(before.iter().filter(|row| find(row, after).is_none()).map(|row| RowChange {
        change: Change::Removed,
        row: row.clone(),
        keys: Vec::new(),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(value: Value) -> Row {
        Row::from_value(value)
    }

    #[test]
    fn items_are_matched_by_persistent_reference() {
        let a = row(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "old", "kSecValuePersistentRef": "genp:1"}),
        );
        let b = row(json!({"kSecClass": "kSecClassGenericPassword", "kSecValuePersistentRef": "genp:2"}));
        let a2 = row(
            json!({"kSecClass": "kSecClassGenericPassword", "kSecAttrLabel": "new", "kSecValuePersistentRef": "genp:1"}),
        );
        let c = row(json!({"kSecClass": "kSecClassInternetPassword", "kSecValuePersistentRef": "inet:3"}));
        let changes = diff(&[a, b.clone()], &[a2, c]);
        let kinds: Vec<Change> = changes.iter().map(|c| c.change).collect();
        assert_eq!(kinds, [Change::Changed, Change::Added, Change::Removed]);
        assert_eq!(changes[0].keys, ["kSecAttrLabel"]);
        assert_eq!(changes[2].row, b);
        assert_eq!(
            diff(&changes.iter().map(|c| c.row.clone()).take(1).collect::<Vec<_>>(), &[changes[0].row.clone()])[0]
                .change,
            Change::Same
        );
    }

    #[test]
    fn an_attribute_that_disappears_is_a_change() {
        let before = row(json!({"kSecAttrLabel": "x", "kSecAttrComment": "y", "kSecValuePersistentRef": "genp:1"}));
        let after = row(json!({"kSecAttrLabel": "x", "kSecValuePersistentRef": "genp:1"}));
        let changes = diff(&[before], &[after]);
        assert_eq!(changes[0].change, Change::Changed);
        assert_eq!(changes[0].keys, ["kSecAttrComment"]);
    }
}
