// In the shape of keychain-swift (evgenyneu): a constants struct whose computed properties
// turn kSec constants into strings, a delete before every add, an access group added by a
// helper when set. Written for Keyplay's tests.
import Security

public struct VaultConstants {
  public static var klass: String { return toString(kSecClass) }
  public static var attrAccount: String { return toString(kSecAttrAccount) }
  public static var valueData: String { return toString(kSecValueData) }
  public static var accessible: String { return toString(kSecAttrAccessible) }
  public static var accessGroup: String { return toString(kSecAttrAccessGroup) }
  public static var matchLimit: String { return toString(kSecMatchLimit) }
  public static var returnData: String { return toString(kSecReturnData) }

  static func toString(_ value: CFString) -> String {
    return value as String
  }
}

open class TokenVault {
  var keyPrefix = ""
  open var accessGroup: String?
  open var lastResultCode: OSStatus = noErr

  @discardableResult
  open func set(_ value: Data, forKey key: String) -> Bool {
    deleteNoLock(key) // drop any old value first

    let prefixedKey = keyWithPrefix(key)
    var query: [String : Any] = [
      VaultConstants.klass       : kSecClassGenericPassword,
      VaultConstants.attrAccount : prefixedKey,
      VaultConstants.valueData   : value,
      VaultConstants.accessible  : kSecAttrAccessibleAfterFirstUnlock
    ]
    query = addAccessGroupWhenPresent(query)
    lastResultCode = SecItemAdd(query as CFDictionary, nil)
    return lastResultCode == noErr
  }

  open func getData(_ key: String) -> Data? {
    let prefixedKey = keyWithPrefix(key)
    var query: [String: Any] = [
      VaultConstants.klass       : kSecClassGenericPassword,
      VaultConstants.attrAccount : prefixedKey,
      VaultConstants.matchLimit  : kSecMatchLimitOne
    ]
    query[VaultConstants.returnData] = kCFBooleanTrue
    query = addAccessGroupWhenPresent(query)

    var result: AnyObject?
    lastResultCode = withUnsafeMutablePointer(to: &result) {
      SecItemCopyMatching(query as CFDictionary, UnsafeMutablePointer($0))
    }
    return lastResultCode == noErr ? result as? Data : nil
  }

  @discardableResult
  func deleteNoLock(_ key: String) -> Bool {
    let prefixedKey = keyWithPrefix(key)
    var query: [String: Any] = [
      VaultConstants.klass       : kSecClassGenericPassword,
      VaultConstants.attrAccount : prefixedKey
    ]
    query = addAccessGroupWhenPresent(query)
    lastResultCode = SecItemDelete(query as CFDictionary)
    return lastResultCode == noErr
  }

  func keyWithPrefix(_ key: String) -> String {
    return "\(keyPrefix)\(key)"
  }

  func addAccessGroupWhenPresent(_ items: [String: Any]) -> [String: Any] {
    guard let accessGroup = accessGroup else { return items }
    var result: [String: Any] = items
    result[VaultConstants.accessGroup] = accessGroup
    return result
  }
}
