//! Data protection classes (`kSecAttrAccessible`): one typed value per class, its raw
//! `pdmn` code, its constant name, and when its class key is in memory.

use super::constants::{self, Family};
use std::fmt;

/// A data protection class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protection {
    /// `ak`: kSecAttrAccessibleWhenUnlocked (the default for every class but certificates).
    WhenUnlocked,
    /// `ck`: kSecAttrAccessibleAfterFirstUnlock.
    AfterFirstUnlock,
    /// `dk`: kSecAttrAccessibleAlways (Apple's code calls it AlwaysPrivate; certificates' default).
    Always,
    /// `akpu`: kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly.
    WhenPasscodeSetThisDeviceOnly,
    /// `aku`: kSecAttrAccessibleWhenUnlockedThisDeviceOnly.
    WhenUnlockedThisDeviceOnly,
    /// `cku`: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly.
    AfterFirstUnlockThisDeviceOnly,
    /// `dku`: kSecAttrAccessibleAlwaysThisDeviceOnly.
    AlwaysThisDeviceOnly,
}

/// When the class key of a protection class is available.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Always (the `d` classes).
    Always,
    /// From the first unlock after boot until the next restart (the `c` classes).
    AfterFirstUnlock,
    /// While the device is unlocked (the `a` classes).
    WhileUnlocked,
    /// While unlocked, and only as long as a passcode is set (`akpu`).
    WhileUnlockedWithPasscode,
}

impl Protection {
    pub const ALL: [Protection; 7] = [
        Protection::WhenUnlocked,
        Protection::AfterFirstUnlock,
        Protection::Always,
        Protection::WhenPasscodeSetThisDeviceOnly,
        Protection::WhenUnlockedThisDeviceOnly,
        Protection::AfterFirstUnlockThisDeviceOnly,
        Protection::AlwaysThisDeviceOnly,
    ];

    /// The raw `pdmn` code stored in the item.
    pub const fn raw(self) -> &'static str {
        match self {
            Protection::WhenUnlocked => "ak",
            Protection::AfterFirstUnlock => "ck",
            Protection::Always => "dk",
            Protection::WhenPasscodeSetThisDeviceOnly => "akpu",
            Protection::WhenUnlockedThisDeviceOnly => "aku",
            Protection::AfterFirstUnlockThisDeviceOnly => "cku",
            Protection::AlwaysThisDeviceOnly => "dku",
        }
    }

    /// The class a raw `pdmn` code names, if any.
    pub fn from_raw(raw: &str) -> Option<Protection> {
        Protection::ALL.iter().copied().find(|p| p.raw() == raw)
    }

    /// The `kSecAttrAccessible…` constant name.
    pub fn name(self) -> &'static str {
        constants::value_name(Family::Accessible, self.raw()).unwrap_or(self.raw())
    }

    pub const fn availability(self) -> Availability {
        match self {
            Protection::Always | Protection::AlwaysThisDeviceOnly => Availability::Always,
            Protection::AfterFirstUnlock | Protection::AfterFirstUnlockThisDeviceOnly => Availability::AfterFirstUnlock,
            Protection::WhenPasscodeSetThisDeviceOnly => Availability::WhileUnlockedWithPasscode,
            Protection::WhenUnlocked | Protection::WhenUnlockedThisDeviceOnly => Availability::WhileUnlocked,
        }
    }
}

impl fmt::Display for Protection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_codes_round_trip_and_name_their_constants() {
        for p in Protection::ALL {
            assert_eq!(Protection::from_raw(p.raw()), Some(p));
            assert!(p.name().starts_with("kSecAttrAccessible"), "{p:?}");
        }
        assert_eq!(Protection::from_raw("kSecAttrAccessibleWhenUnlocked"), None);
        assert_eq!(Protection::Always.name(), "kSecAttrAccessibleAlways");
    }
}
