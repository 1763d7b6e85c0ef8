import Foundation
import KotaeCore
import SQLKit

/// Teams of agents (a conversation can be given to a team).
public struct Teams: Sendable {
    let db: KotaeDatabase

    public func create(name: String, memberIds: [ID]) async throws -> Team {
        try await db.write { db in
            if try await db.raw("SELECT id FROM teams WHERE name = \(bind: name)").first() != nil {
                throw StoreError.conflict("a team named \(name) exists")
            }
            let id = try await db.raw("INSERT INTO teams (name, created_at) VALUES (\(bind: name), \(bind: Date().epoch)) RETURNING id").first()!.int(
                "id")
            for m in Set(memberIds) {
                guard try await db.raw("SELECT id FROM users WHERE id = \(bind: m)").first() != nil else {
                    throw StoreError.invalid("memberIds: no user \(m)")
                }
                try await db.raw("INSERT INTO team_members (team_id, user_id) VALUES (\(bind: id), \(bind: m))").run()
            }
            return Team(id: id, name: name, memberIds: Set(memberIds).sorted())
        }
    }

    /// Renames a team and/or replaces its members, in one transaction.
    public func update(id: ID, name: String?, memberIds: [ID]?) async throws -> Team {
        try await db.write { db in
            guard let row = try await db.raw("SELECT name FROM teams WHERE id = \(bind: id)").first() else { throw StoreError.notFound("team") }
            var team = Team(id: id, name: try row.string("name"), memberIds: [])
            if let name, name != team.name {
                if try await db.raw("SELECT id FROM teams WHERE name = \(bind: name)").first() != nil {
                    throw StoreError.conflict("a team named \(name) exists")
                }
                try await db.raw("UPDATE teams SET name = \(bind: name) WHERE id = \(bind: id)").run()
                team.name = name
            }
            if let memberIds {
                try await db.raw("DELETE FROM team_members WHERE team_id = \(bind: id)").run()
                for m in Set(memberIds) {
                    guard try await db.raw("SELECT id FROM users WHERE id = \(bind: m)").first() != nil else {
                        throw StoreError.invalid("memberIds: no user \(m)")
                    }
                    try await db.raw("INSERT INTO team_members (team_id, user_id) VALUES (\(bind: id), \(bind: m))").run()
                }
            }
            team.memberIds = try await db.raw("SELECT user_id FROM team_members WHERE team_id = \(bind: id) ORDER BY user_id").all().map {
                try $0.int("user_id")
            }
            return team
        }
    }

    public func all() async throws -> [Team] {
        try await db.read { db in
            let members = try await db.raw("SELECT team_id, user_id FROM team_members ORDER BY user_id").all()
            var byTeam: [ID: [ID]] = [:]
            for m in members { byTeam[try m.int("team_id"), default: []].append(try m.int("user_id")) }
            return try await db.raw("SELECT id, name FROM teams ORDER BY id").all().map {
                let id = try $0.int("id")
                return Team(id: id, name: try $0.string("name"), memberIds: byTeam[id] ?? [])
            }
        }
    }
}
