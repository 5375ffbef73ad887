import Foundation
import NIOConcurrencyHelpers

/// A child process left running while a test talks to it; its output is collected as it comes.
public final class RunningProcess: Sendable {
    private let process: Process
    private let collected = NIOLockedValueBox("")

    /// Starts `executable`; `environment` is added to this process's own.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(Subprocess.hermetic) { $1 }.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let collected = self.collected
        Thread.detachNewThread {
            let handle = pipe.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                collected.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
            }
        }
    }

    /// Everything printed so far (stdout and stderr together).
    public var output: String { collected.withLockedValue { $0 } }

    /// The first line containing `text`, once it has been printed.
    public func waitForOutput(containing text: String, within limit: Duration) async throws -> String {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if let line = output.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw Timeout(what: "output containing '\(text)'; got: \(output)")
    }

    public func signal(_ number: Int32) {
        Foundation.kill(process.processIdentifier, number)
    }

    /// The exit status, once the process has ended.
    public func waitForExit(within limit: Duration) async throws -> Int32 {
        let end = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else { throw Timeout(what: "the process to exit") }
        return process.terminationStatus
    }

    public func kill() {
        if process.isRunning { process.terminate() }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var what: String
        public var description: String { "timed out waiting for \(what)" }
    }
}
