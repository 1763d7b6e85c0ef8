import Foundation

public typealias ID = Int64
