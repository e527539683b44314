export { createTestDatabase, type TestDatabase } from './test-database';
export { kafkaBrokers, describeWithKafka, startDedicatedKafka, type KafkaBroker, type StartBrokerOptions } from './kafka';
export { waitFor, type WaitForOptions } from './wait-for';
export { aggregateSpec, SPEC_NOW, type SpecAggregate, type Scenario, type Outcome } from './aggregate-spec';
export { startTestHost, http, TEST_ADMIN_PASSWORD, type TestHost, type TestHostOptions } from './test-host';
export { testCreditCode, testIdentityNumber } from './identity-numbers';
export { apiSpec, fact, publishFacts, stream, traineeRegisteredFact, type ApiSpec, type Fact, type PastEvents } from './api-spec';
export { refusalRulesOf } from './refusal-rules';
export { adminToken, bearer, signInAs, type TestUser } from './sign-in';
