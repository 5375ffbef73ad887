import Foundation

/// Finds the executables `swift build` put next to the test bundle.
public enum BuiltExecutables {
    public static func path(_ name: String) throws -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? CommandLine.arguments[0])
        var folder = bundle.deletingLastPathComponent()
        // swift-testing may run from inside the .xctest bundle's folder structure.
        while !folder.path.isEmpty, folder.path != "/" {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            if folder.lastPathComponent == ".build" { break }
            folder.deleteLastPathComponent()
        }
        throw Missing(name: name)
    }

    public struct Missing: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) is not built: run `swift build` before `swift test` (make test does)" }
    }
}
