import Foundation
import Testing
@testable import RetrogradData

/// gzip files made by Python's `gzip`/`zlib` (zlib 1.2.13), an independent implementation,
/// from ``sampleText``: the first 1,000 bytes at level 0 (one stored block), the whole text
/// with `Z_FIXED` (fixed Huffman codes) and at level 9 with a file name in the header
/// (dynamic Huffman codes). The block types were checked by reading each stream's first
/// block header.
enum PythonGzipSamples {
    static let stored = bytes(
        "H4sIAAAAAAAEAwHoAxf8bGluZSAwOiB0aGUgcXVpY2sgYnJvd24gZm94IGp1bXBzIG92ZXIgdGhlIGxhenkgZG9nCmxpbmUgMTog" +
        "dGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDI6IHRoZSBxdWljayBicm93biBmb3gganVt" +
        "cHMgb3ZlciB0aGUgbGF6eSBkb2cKbGluZSAzOiB0aGUgcXVpY2sgYnJvd24gZm94IGp1bXBzIG92ZXIgdGhlIGxhenkgZG9nCmxp" +
        "bmUgNDogdGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDU6IHRoZSBxdWljayBicm93biBm" +
        "b3gganVtcHMgb3ZlciB0aGUgbGF6eSBkb2cKbGluZSA2OiB0aGUgcXVpY2sgYnJvd24gZm94IGp1bXBzIG92ZXIgdGhlIGxhenkg" +
        "ZG9nCmxpbmUgNzogdGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDg6IHRoZSBxdWljayBi" +
        "cm93biBmb3gganVtcHMgb3ZlciB0aGUgbGF6eSBkb2cKbGluZSA5OiB0aGUgcXVpY2sgYnJvd24gZm94IGp1bXBzIG92ZXIgdGhl" +
        "IGxhenkgZG9nCmxpbmUgMTA6IHRoZSBxdWljayBicm93biBmb3gganVtcHMgb3ZlciB0aGUgbGF6eSBkb2cKbGluZSAxMTogdGhl" +
        "IHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDEyOiB0aGUgcXVpY2sgYnJvd24gZm94IGp1bXBz" +
        "IG92ZXIgdGhlIGxhenkgZG9nCmxpbmUgMTM6IHRoZSBxdWljayBicm93biBmb3gganVtcHMgb3ZlciB0aGUgbGF6eSBkb2cKbGlu" +
        "ZSAxNDogdGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDE1OiB0aGUgcXVpY2sgYnJvd24g" +
        "Zm94IGp1bXBzIG92ZXIgdGhlIGxhenkgZG9nCmxpbmUgMTY6IHRoZSBxdWljayBicm93biBmb3gganVtcHMgb3ZlciB0aGUgbGF6" +
        "eSBkb2cKbGluZSAxNzogdGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZwpsaW5lIDE4OiB0aGUgcXVp" +
        "Y2sgYnJvd24gZm94IGp1bXBzIG92ZXIgdGhlIGxhenkgZG9nCmxpbiHm+aboAwAA")
    static let fixed = bytes(
        "H4sIAAAAAAACA8vJzEtVMLBSKMlIVSgszUzOVkgqyi/PU0jLr1DIKs0tKFbIL0stAkvnJFZVKqTkp3PlgPQYkqHHiAw9xmToMSFD" +
        "jykZeszI0GNOhh4LMvRYkhOnZCUEclKCITlJwZCctGBITmIwJCc1GJKTHAzJSQ+G5CQIQ3JShBE5KcKIrLKBnBRhRE6KMCInRRiR" +
        "kyKMyEkRRuSkCCNyUoQROSnCmJwUYUxOijAmq7ogJ0UYk5MijMlJEcbkpAhjclKEMTkpwpicFGFCToowISdFmJCTIkzIakGQkyJM" +
        "yEkRJuSkCBNyUoQJOSnChJwUYUpOijAlJ0WYkpMiTMlJEaZkNSrJSRGm5KQIU3JShCk5KcKUnBRhRk6KMCMnRZiRkyLMyEkRZuSk" +
        "CDOy+hnkpAgzclKEGTkpwoycFGFOToowJydFmJOTIszJSRHm5KQIc3JShDlZXU9yUoQ5OSnCnJwUYUFOirAgJ0VYkJMiLMhJERbk" +
        "pAgLclKEBTkpwoKs0QhyUoQFOSnCkpwUYUlOirAkJ0VYkpMiLMlJEZbkpAhLclKEJTkpwpKsASryRqjIGqIyIGuMyoCsQSoDskap" +
        "DMgapjIga5zKgKyBKgOyRqoMyBqqMiArbZA5fElW2iBvAJO8EUzyhjDJG8MkbxCTvFFM8oYxyRrHNCRrINPQiLyxbbLSBlljmYZk" +
        "DWYakjWaaUjWcKYhWeOZhmQNaBqSNaJpSNaQpiFZY5qGxuRNfJCVNsga1jQka1zTkKyBTUOyRjYNyRraNCRrbNOQrMFNQ7JGNw3J" +
        "Gt40NCFvVoystEHWCKchWUOchmSNcRqSNchpSNYopyFZw5yGZI1zGpI10GlI1kinoSl5U6ZkpQ2yBjsNyRrtNCRruNOQrPFOQ7IG" +
        "PA3JGvE0JGvI05CsMU9DsgY9Dc3Im08nK22QNe5pSNbApyFZI5+GZA19GpI19mlI1uCnIVmjn4ZkDX8akjX+aWhO3mILstIGWUOg" +
        "hmSNgRqSNQhqSNYoqCFZw6CGZI2DGpI1EGpI1kioIVlDoYYW5K3EISttkDUaakjWcKghWeOhhmQNiBqSNSJqSNaQqCFZY6KGZA2K" +
        "GpI1KmpoSd4yLRLTBgDzLTnywikAAA==")
    static let dynamic = bytes(
        "H4sICAAAAAAC/3NhbXBsZS50eHQAndrLcRNBAEXRPVFMCPP632TDR4BBWGBjwI6eggw4a9Vb6ZQ0c7uvd/eX43x9/Ph0Ob4/3b37" +
        "crx9uP26Pz7cfh+fn75+ezxuPy8P/z6+vnl5Pt7fPr66/t0ENgU2FTYNNh02AzYTNgs2W75TgiASIhQiFiIYIhoiHCIeIiAiIoqI" +
        "KPTbICKKiCgiooiIIiKKiCgiooiIKiKqiKj0dyEiqoioIqKKiCoiqoioIqKJiCYimoho9AQhIpqIaCKiiYgmIpqI6CKii4guIrqI" +
        "6PRQKSK6iOgioouILiKGiBgiYoiIISKGiBj0niEihogYImKIiCkipoiYImKKiCkipoiY9OopIqaImCJiiYglIpaIWCJiiYglIpaI" +
        "WFQjRMQSEVtEbBGxRcQWEVtEbBGxRcQWEZsClRUqSlQnNaqTItVJleqkTHVSpzopVJ1Uqk5KVSfZwHxJNixgWsG0hGkN0yKmVUzL" +
        "mNQxQyEzxdo22aCWGYqZoZoZypmhnhkKmqGiGUqaoaaZagcfZIOyZqhrhsJmqGyG0maobYbiZqhuhvJmmp2KkQ0qnKHEGWqcocgZ" +
        "qpyhzBnqnKHQGSqd6XZkSjYodoZqZyh3hnpnKHiGimcoeYaaZyh6Zth5Otmg7hkKn6HyGUqfofYZip+h+hnKn6H+mWmXLcgGJdBQ" +
        "Aw1F0FAFDWXQUAcNhdBQCQ2l0Cy7iUM2qIaGcmioh4aCaKiIhpJoqImGomioimbbNa3/tPEH8y058sIpAAA=")

    private static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }
}

/// The text the samples compress: 200 numbered lines about a fox, 10,690 bytes.
let sampleText: [UInt8] = Array((0..<200).map { "line \($0): the quick brown fox jumps over the lazy dog\n" }.joined().utf8)
