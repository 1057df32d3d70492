// In the shape of Valet (Square): a namespace of static functions wrapping each SecItem call,
// a base query made by the store's configuration, and a set that deletes then adds on macOS
// (and looks up, then updates or adds, elsewhere). Written for Keyplay's tests.
import Foundation
import Security

internal enum SecItemCall {
    static func copy(matching query: [String: AnyHashable]) -> OSStatus {
        var result: AnyObject?
        return SecItemCopyMatching(query as CFDictionary, &result)
    }

    static func add(attributes: [String: AnyHashable]) -> OSStatus {
        SecItemAdd(attributes as CFDictionary, nil)
    }

    static func update(attributes: [String: AnyHashable], forItemsMatching query: [String: AnyHashable]) -> OSStatus {
        SecItemUpdate(query as CFDictionary, attributes as CFDictionary)
    }

    static func deleteItems(matching query: [String: AnyHashable]) -> OSStatus {
        var secItemQuery = query
        secItemQuery.removeValue(forKey: kSecMatchLimit as String)
        return SecItemDelete(secItemQuery as CFDictionary)
    }
}

public final class Vault {
    let identifier: String

    var baseQuery: [String: AnyHashable] {
        [
            kSecClass as String: kSecClassGenericPassword as String,
            kSecAttrService as String: "VaultStore_\(identifier)",
            kSecAttrAccessible as String: kSecAttrAccessibleWhenUnlocked as String,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    public func setObject(_ object: Data, forKey key: String) {
        var secItemQuery = baseQuery
        secItemQuery[kSecAttrAccount as String] = key
        #if os(macOS)
        _ = SecItemCall.deleteItems(matching: secItemQuery)
        secItemQuery[kSecValueData as String] = object
        _ = SecItemCall.add(attributes: secItemQuery)
        #else
        if containsObject(forKey: key) {
            _ = SecItemCall.update(attributes: [kSecValueData as String: object], forItemsMatching: secItemQuery)
        } else {
            secItemQuery[kSecValueData as String] = object
            _ = SecItemCall.add(attributes: secItemQuery)
        }
        #endif
    }

    public func object(forKey key: String) -> OSStatus {
        var secItemQuery = baseQuery
        secItemQuery[kSecAttrAccount as String] = key
        secItemQuery[kSecMatchLimit as String] = kSecMatchLimitOne
        secItemQuery[kSecReturnData as String] = true
        return SecItemCall.copy(matching: secItemQuery)
    }

    func containsObject(forKey key: String) -> Bool {
        var secItemQuery = baseQuery
        secItemQuery[kSecAttrAccount as String] = key
        return SecItemCall.copy(matching: secItemQuery) == errSecSuccess
    }
}
