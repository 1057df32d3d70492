func storeSecret(_ secret: String) throws {
    var error: Unmanaged<CFError>?
    guard let access = SecAccessControlCreateWithFlags(
        kCFAllocatorDefault,
        kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly,
        [.biometryCurrentSet, .or, .devicePasscode],
        &error
    ) else {
        throw error!.takeRetainedValue() as Error
    }
    let context = LAContext()
    context.localizedReason = "Unlock your vault"
    let query: [String: Any] = [
        kSecClass as String: kSecClassGenericPassword,
        kSecAttrService as String: "vault",
        kSecAttrAccount as String: "master-key",
        kSecAttrAccessControl as String: access,
        kSecUseAuthenticationContext as String: context,
        kSecValueData as String: Data(secret.utf8),
    ]
    let status = SecItemAdd(query as CFDictionary, nil)
    guard status == errSecSuccess else { throw KeychainError.unhandled(status) }
}

func readSecret() -> Data? {
    let query: [String: Any] = [
        kSecClass as String: kSecClassGenericPassword,
        kSecAttrService as String: "vault",
        kSecAttrAccount as String: "master-key",
        kSecReturnData as String: true,
        kSecUseOperationPrompt as String: "Access your vault",
    ]
    var item: CFTypeRef?
    let status = SecItemCopyMatching(query as CFDictionary, &item)
    return status == errSecSuccess ? item as? Data : nil
}
