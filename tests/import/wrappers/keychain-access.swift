// In the shape of KeychainAccess (kishikawakatsumi): file-level key constants declared after
// their use, an options struct whose query() builds the base query, a lookup that decides
// between update and add. Written for Keyplay's tests.
import Foundation
import Security

struct StoreOptions {
    var service: String = "com.example.notes"
    var accessGroup: String? = nil
    var label: String?
    var synchronizable: Bool = false

    func query(ignoringAttributeSynchronizable: Bool = true) -> [String: Any] {
        var query = [String: Any]()
        query[Class] = String(kSecClassGenericPassword)
        query[AttributeService] = service
        if let accessGroup = self.accessGroup {
            query[AttributeAccessGroup] = accessGroup
        }
        if ignoringAttributeSynchronizable {
            query[AttributeSynchronizable] = SynchronizableAny
        } else {
            query[AttributeSynchronizable] = synchronizable ? kCFBooleanTrue : kCFBooleanFalse
        }
        return query
    }

    func attributes(key: String?, value: Data) -> [String: Any] {
        var attributes: [String: Any]
        if key != nil {
            attributes = query(ignoringAttributeSynchronizable: false)
            attributes[AttributeAccount] = key
        } else {
            attributes = [String: Any]()
        }
        attributes[ValueData] = value
        if label != nil {
            attributes[AttributeLabel] = label
        }
        attributes[AttributeAccessible] = AccessibleAfterFirstUnlock
        return attributes
    }
}

public final class NoteStore {
    fileprivate let options = StoreOptions()

    public func set(_ value: Data, key: String) throws {
        var query = options.query()
        query[AttributeAccount] = key
        var status = SecItemCopyMatching(query as CFDictionary, nil)
        switch status {
        case errSecSuccess, errSecInteractionNotAllowed:
            var query = options.query()
            query[AttributeAccount] = key
            let attributes = options.attributes(key: nil, value: value)
            status = SecItemUpdate(query as CFDictionary, attributes as CFDictionary)
        case errSecItemNotFound:
            let attributes = options.attributes(key: key, value: value)
            status = SecItemAdd(attributes as CFDictionary, nil)
        default:
            throw NSError(domain: NSOSStatusErrorDomain, code: Int(status))
        }
    }

    public func remove(_ key: String) throws {
        var query = options.query()
        query[AttributeAccount] = key
        let status = SecItemDelete(query as CFDictionary)
        if status != errSecSuccess && status != errSecItemNotFound {
            throw NSError(domain: NSOSStatusErrorDomain, code: Int(status))
        }
    }
}

private let Class = String(kSecClass)
private let AttributeAccount = String(kSecAttrAccount)
private let AttributeService = String(kSecAttrService)
private let AttributeAccessGroup = String(kSecAttrAccessGroup)
private let AttributeSynchronizable = String(kSecAttrSynchronizable)
private let AttributeLabel = String(kSecAttrLabel)
private let AttributeAccessible = String(kSecAttrAccessible)
private let ValueData = String(kSecValueData)
private let SynchronizableAny = kSecAttrSynchronizableAny
private let AccessibleAfterFirstUnlock = String(kSecAttrAccessibleAfterFirstUnlock)
