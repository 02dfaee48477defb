import Foundation

/// Finds the files SwiftPM copies into this library's resource bundle.
///
/// SwiftPM's generated `Bundle.module` stops the program (`fatalError`) when the bundle is
/// neither next to the main executable nor at the path it was built in, so a copied or
/// installed `retrograd` without its bundle would crash instead of reporting an error.
/// This lookup tries the same places and a few more, and returns `nil` when the file is
/// nowhere, so that the caller can throw a typed error.
enum ResourceBundle {
    /// The bundle's name: SwiftPM names it `<package>_<target>`.
    static let name = "Retrograd_DomainAdaptation"

    /// The bundle file names SwiftPM uses: a plain directory on Linux and Windows, a
    /// `.bundle` on Apple platforms.
    static let fileNames = ["\(name).resources", "\(name).bundle"]

    /// The URL of a resource file, or `nil` when no bundle holds it.
    static func url(forResource resource: String, withExtension ext: String, subdirectory: String?) -> URL? {
        for directory in searchDirectories {
            for fileName in fileNames {
                let candidate = directory.appendingPathComponent(fileName, isDirectory: true)
                guard FileManager.default.fileExists(atPath: candidate.path), let bundle = Bundle(url: candidate) else { continue }
                if let url = bundle.url(forResource: resource, withExtension: ext, subdirectory: subdirectory) { return url }
            }
        }
        return nil
    }

    /// The directories that may hold the bundle, most likely first: the main bundle's
    /// directory (where SwiftPM puts it next to an executable), the real directory of the
    /// executable when it was started through a symbolic link, and the directories of the
    /// loaded bundles (a test bundle sits next to it).
    static var searchDirectories: [URL] {
        var directories = [Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL {
            directories.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles {
            directories.append(bundle.bundleURL)
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        var seen = Set<String>()
        return directories.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }
}
