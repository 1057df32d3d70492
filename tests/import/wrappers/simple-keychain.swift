// In the shape of SimpleKeychain (Auth0): the SecItem functions held in variables (so tests
// can swap them), one baseQuery(withKey:data:) with optional parameters, and query helpers
// built on it. Written for Keyplay's tests.
import Foundation
import Security

typealias RetrieveFunction = (_ query: CFDictionary, _ result: UnsafeMutablePointer<CFTypeRef?>?) -> OSStatus
typealias RemoveFunction = (_ query: CFDictionary) -> OSStatus

public struct SessionKeychain {
    let service: String
    let accessGroup: String?
    let accessibility: Accessibility

    var retrieve: RetrieveFunction = SecItemCopyMatching
    var remove: RemoveFunction = SecItemDelete

    private func assertSuccess(forStatus status: OSStatus) throws {
        if status != errSecSuccess {
            throw SessionError(code: status)
        }
    }

    public func data(forKey key: String) throws -> Data {
        let query = self.getOneQuery(byKey: key)
        var result: AnyObject?
        try assertSuccess(forStatus: retrieve(query as CFDictionary, &result))
        return result as? Data ?? Data()
    }

    public func set(_ data: Data, forKey key: String) throws {
        let addItemQuery = self.setQuery(forKey: key, data: data)
        let addStatus = SecItemAdd(addItemQuery as CFDictionary, nil)
        if addStatus == errSecDuplicateItem {
            let updateQuery = self.baseQuery(withKey: key)
            let updateAttributes: [String: Any] = [kSecValueData as String: data]
            let updateStatus = SecItemUpdate(updateQuery as CFDictionary, updateAttributes as CFDictionary)
            try assertSuccess(forStatus: updateStatus)
        } else {
            try assertSuccess(forStatus: addStatus)
        }
    }

    public func deleteItem(forKey key: String) throws {
        let query = self.baseQuery(withKey: key)
        try assertSuccess(forStatus: remove(query as CFDictionary))
    }

    func baseQuery(withKey key: String? = nil, data: Data? = nil) -> [String: Any] {
        var query: [String: Any] = [:]
        query[kSecClass as String] = kSecClassGenericPassword
        query[kSecAttrService as String] = self.service
        if let key = key {
            query[kSecAttrAccount as String] = key
        }
        if let data = data {
            query[kSecValueData as String] = data
        }
        if let accessGroup = self.accessGroup {
            query[kSecAttrAccessGroup as String] = accessGroup
        }
        return query
    }

    func getOneQuery(byKey key: String) -> [String: Any] {
        var query = self.baseQuery(withKey: key)
        query[kSecReturnData as String] = kCFBooleanTrue
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        return query
    }

    func setQuery(forKey key: String, data: Data) -> [String: Any] {
        var query = self.baseQuery(withKey: key, data: data)
        query[kSecAttrAccessible as String] = self.accessibility.rawValue
        return query
    }
}
