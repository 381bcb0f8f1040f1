import { expect } from '@open-wc/testing';
import { formatMainMetric, guessMainMetric, parseMainMetricAttribute } from '../src/shared/main-metric.js';

describe('guessMainMetric (data without a main metric)', () => {
  it('maximizes accuracy-like names and minimizes loss-like ones', () => {
    expect(guessMainMetric(['accuracy'])).to.deep.equal({ key: 'accuracy', goal: 'maximize' });
    for (const k of ['acc', 'f1', 'auc', 'precision', 'recall', 'map', 'bleu', 'r2', 'test/f1_macro', 'valAccuracy']) expect(guessMainMetric([k])?.goal, k).to.equal('maximize');
    for (const k of ['loss', 'error', 'err', 'mse', 'mae', 'rmse', 'perplexity', 'train_loss']) expect(guessMainMetric([k])?.goal, k).to.equal('minimize');
  });

  it('prefers a held-out score, then a maximized one, whatever the order', () => {
    expect(guessMainMetric(['train_loss', 'train_accuracy', 'val_loss'])).to.deep.equal({ key: 'val_loss', goal: 'minimize' });
    expect(guessMainMetric(['val_loss', 'val_accuracy', 'lr'])).to.deep.equal({ key: 'val_accuracy', goal: 'maximize' });
    expect(guessMainMetric(['val_accuracy', 'val_loss'])).to.deep.equal(guessMainMetric(['val_loss', 'val_accuracy']));
  });

  it('guesses nothing from names that say nothing (a word is matched whole)', () => {
    expect(guessMainMetric([])).to.equal(undefined);
    expect(guessMainMetric(['lr', 'epoch', 'gpu_memory', 'accumulate', 'mapping', 'terror'])).to.equal(undefined);
  });

  it('formats a choice the attribute parser reads back', () => {
    expect(parseMainMetricAttribute(formatMainMetric({ key: 'a:b', goal: 'minimize' }))).to.deep.equal({ key: 'a:b', goal: 'minimize' });
    expect(formatMainMetric({ key: 'acc' })).to.equal('acc:max');
  });
});
