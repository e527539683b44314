import { topicSettings } from './topics';

describe('how a service makes an integration topic it does not find', () => {
  it('keeps it for ever, in three replicas of which two must take a write from three brokers on, else in all the brokers there are', () => {
    expect(topicSettings(1)).toEqual({ replicas: 1, config: { 'retention.ms': -1 } });
    expect(topicSettings(2)).toEqual({ replicas: 2, config: { 'retention.ms': -1 } });
    expect(topicSettings(3)).toEqual({ replicas: 3, config: { 'retention.ms': -1, 'min.insync.replicas': 2 } });
    expect(topicSettings(7)).toEqual(topicSettings(3));
  });
});
