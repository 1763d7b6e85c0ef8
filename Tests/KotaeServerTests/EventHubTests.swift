import KotaeCore
import Testing

@testable import KotaeServer

/// The hub's two kinds of subscriber: a stream (an agent's live page) and a listener called in
/// line (the chat widget's sockets), which hears each event before `publish` returns.
@Suite struct EventHubTests {
    @Test func aListenerHearsEachEventInLineUntilItStops() async throws {
        let hub = EventHub()
        let heard = Locked<[HubEvent.Kind]>([])
        let stream = hub.subscribe()
        let listener = hub.listen { event in heard.withLock { $0.append(event.type) } }
        #expect(hub.subscriberCount == 2)

        hub.publish(.messageCreated(7, message: 70, inbox: 1))
        // No await in between: the listener ran during publish.
        #expect(heard.withLock { $0 } == [.messageCreated])

        hub.stopListening(listener)
        hub.publish(.conversationUpdated(7, inbox: 1))
        #expect(heard.withLock { $0 } == [.messageCreated])
        #expect(hub.subscriberCount == 1)

        // The stream had both, in order, each stamped with this instance as its origin.
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        let second = await iterator.next()
        #expect(first?.type == .messageCreated && first?.origin == hub.instanceId)
        #expect(second?.type == .conversationUpdated)
    }
}
