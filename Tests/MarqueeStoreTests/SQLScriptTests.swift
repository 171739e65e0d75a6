import MarqueeStore
import MarqueeTestSupport
import Testing

/// Splitting migration and function files into the statements PostgreSQL runs one by one.
@Suite struct SQLScriptTests {
    @Test func statementsEndAtSemicolonsOutsideQuotesAndComments() {
        let script = """
            -- a comment; not a statement
            CREATE TABLE a (x text DEFAULT 'it''s; fine', "odd;name" int);
            /* block; comment */ INSERT INTO a VALUES (E'back\\'slash;', 1);
            SELECT $1::int;
            """
        #expect(SQLScript.statements(in: script) == [
            "-- a comment; not a statement\nCREATE TABLE a (x text DEFAULT 'it''s; fine', \"odd;name\" int)",
            "/* block; comment */ INSERT INTO a VALUES (E'back\\'slash;', 1)",
            "SELECT $1::int",
        ])
    }

    @Test func aFunctionBodyInDollarQuotesIsOneStatement() {
        let script = """
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $body$ BEGIN RETURN '$$;'; END; $body$;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 2)
        #expect(statements.first?.hasSuffix("END; $$") == true)
        #expect(statements.last?.hasSuffix("END; $body$") == true)
    }

    @Test func aScriptOfCommentsAloneHasNoStatement() {
        #expect(SQLScript.statements(in: "-- only a note;\n/* and another; */\n").isEmpty)
    }
}
