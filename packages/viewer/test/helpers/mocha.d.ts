// The few mocha globals the tests use (@web/test-runner runs mocha in the page).
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => unknown): void;
declare function before(body: () => unknown): void;
declare function after(body: () => unknown): void;
declare function beforeEach(body: () => unknown): void;
declare function afterEach(body: () => unknown): void;
