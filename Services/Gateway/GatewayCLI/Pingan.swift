import ArgumentParser
import Gateway

/// The `pingan` executable; everything it does lives in the Gateway library.
@main
struct Pingan: AsyncParsableCommand {
    static let configuration = PinganCommand.configuration
}
