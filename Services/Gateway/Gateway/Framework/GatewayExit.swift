import ArgumentParser
import Foundation
import PinganCatalog
import PinganRegistryContracts
import PinganRPC
import PinganTrainingContracts
import PinganRPCTransport
import PinganTLS

/// The documented exit statuses (README, "Exit codes"), with the message for standard error.
enum GatewayExit: Error, CustomStringConvertible {
    /// 0: everything answered.
    static let ok: Int32 = 0
    /// 2: a partial answer: some service or town did not answer (the rest was printed).
    case partial(String)
    /// 3: a service refused the request (bad input, not found, not allowed) or rows were bad.
    case refused(String)
    /// 4: nothing could be asked: the service is unreachable.
    case unavailable(String)
    /// 64: the command line or the config is wrong.
    case usage(String)

    var code: Int32 {
        switch self {
        case .partial: 2
        case .refused: 3
        case .unavailable: 4
        case .usage: 64
        }
    }

    var description: String {
        switch self {
        case .partial(let message), .refused(let message), .unavailable(let message), .usage(let message): message
        }
    }
}

/// Runs a command body, closing its clients, and turns failures into the documented exit
/// statuses with the message on standard error.
func runGateway(_ options: GatewayOptions, _ body: (GatewaySession) async throws -> Void) async throws {
    let session: GatewaySession
    do {
        session = try options.session()
    } catch let exit as GatewayExit {
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    }
    do {
        try await body(session)
        await session.clients.closeAll()
    } catch let exit as GatewayExit {
        await session.clients.closeAll()
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    } catch let error as RPCError {
        await session.clients.closeAll()
        let exit: GatewayExit = [.unavailable, .deadlineExceeded].contains(error.code) ? .unavailable(error.description) : .refused(error.description)
        FileHandle.standardError.write(Data("pingan: \(exit.description)\n".utf8))
        throw ExitCode(exit.code)
    }
}
