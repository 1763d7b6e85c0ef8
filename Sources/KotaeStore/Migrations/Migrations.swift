import Foundation
import Logging
import SQLKit

/// Numbered schema changes, one change each, applied in order and recorded in
/// `schema_migrations`. The same list serves both dialects: `{id}`, `{int}` and
/// `{real}` stand for the column types that differ; `{clustered}` keeps a SQLite table in its
/// primary key's order (`WITHOUT ROWID`), which PostgreSQL has no word for.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
    /// Statements for one dialect only (search indexes differ).
    var sqliteOnly: [String] = []
    var postgresOnly: [String] = []
    /// Work after the statements, in the same transaction (data rewritten in Swift).
    var then: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
}

enum Schema {
    /// In order; each is in its own file (`NNNN_name.swift`), one change each.
    static let migrations: [Migration] = [
        .v01UsersAndAuth,
        .v02TeamsAndInboxes,
        .v03Contacts,
        .v04ConversationsAndMessages,
        .v05EventsCannedResponsesJobs,
        .v06TriggersReceivedMessageAuditEventsAndTheSqliteSearchIndex,
        .v07ContactSearchIndexSqlite,
        .v08SqliteSearchIndexWrittenOncePerCommittedBatch,
        .v09WhenEachAgentLastReadEachConversationUnreadMarkers,
        .v10TheUnansweredQueueInDueOrderFromOneIndex,
        .v11LabelsCatalogMentionNotificationsPrivateRepliesUnansweredPublicComments,
        .v12LabelViewsInDueOrderFromTheLabelSOwnRows,
        .v13SocialChannelsReplyTokensContactPictures,
        .v14WhatACustomerChangedOnAMessage,
        .v15ReadReceipts,
        .v16ContactPicturesKept,
        .v17WhoBlockedTheShop,
        .v18ApiTokensExpireAndAreRevokedUntrustedPlatformTimesNoted,
        .v19AReplyCountsWhenDeliveredFailedSendsAreVisible,
        .v20ContactMergesAreRecordedAndCanBeUndone,
        .v21TheInboxSortsByPriorityAndByWaitingTimeAndFiltersByPriority,
        .v22EachPublicCommentNeedsItsOwnAnswer,
        .v23ImapCursorsPerMailboxWithALease,
        .v24AddressesThatBounceForGood,
        .v25ShopSystemsAndTheirOrdersCached,
        .v26FixesOnOrdersAsRecordedActions,
        .v27AGiftCardsCodeKeptSealedUntilShownOnce,
        .v28AFollowUpAfterEachFix,
        .v29SatisfactionSurveysOnePerResolution,
        .v30OrdersFoundByTheBuyersNameAsSuggestions,
        .v31AHelpCenterOfArticlesInCategories,
        .v32ChatWidgetVisitors,
        .v33Reports,
        .v34SLAAlertsBeforeTheDueTime,
        .v35AutomationRules,
        .v36AgentCapacityPresenceAndRoundRobin,
        .v37ConversationsKeepTheirLatestTriage,
        .v38RepliesHeldForApproval,
        .v39RollupsByBand,
        .v40RollupsByDayAndMonth,
        .v41RollupsAppendTheirBandCounts,
    ]

    static func render(_ sql: String, _ dialect: SQLDialectKind) -> String {
        switch dialect {
        case .sqlite:
            return sql.replacingOccurrences(of: "{id}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{int}", with: "INTEGER")
                .replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
                .replacingOccurrences(of: "{clustered}", with: "WITHOUT ROWID")
        case .postgres:
            return sql.replacingOccurrences(of: "{id}", with: "BIGSERIAL PRIMARY KEY")
                .replacingOccurrences(of: "{int}", with: "BIGINT")
                .replacingOccurrences(of: "{real}", with: "DOUBLE PRECISION")
                .replacingOccurrences(of: "{clustered}", with: "")
        }
    }
}

extension KotaeDatabase {
    /// Applies every migration not yet recorded; returns the versions it applied.
    /// All pending ones run in one transaction. Several instances starting at once on
    /// PostgreSQL serialize on an advisory lock.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let dialect = self.dialect
        return try await write { db in
            if dialect == .postgres {
                try await exec(db, "SELECT pg_advisory_xact_lock(4242)")
            }
            try await exec(
                db,
                Schema.render(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version {int} PRIMARY KEY, name TEXT NOT NULL, applied_at {real} NOT NULL)",
                    dialect))
            let done = Set(
                try await db.raw("SELECT version FROM schema_migrations").all().map {
                    try $0.decode(column: "version", as: Int.self)
                })
            var applied: [Int] = []
            for m in Schema.migrations where !done.contains(m.version) {
                let extra = dialect == .sqlite ? m.sqliteOnly : m.postgresOnly
                for sql in m.statements + extra {
                    try await exec(db, Schema.render(sql, dialect))
                }
                try await m.then?(db)
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: m.version), \(bind: m.name), \(bind: Date().timeIntervalSince1970))"
                ).run()
                applied.append(m.version)
            }
            return applied
        }
    }
}
