import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { failureText } from '../components/ErrorText';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { takeCompanySignInReturn } from '../state/company-sign-in-return';
import { useDesk, useDeskActions } from '../state/store-context';

export function LoginScreen() {
  const { t } = useTranslation();
  const { login, loadSignInOptions, companySignIn, finishCompanySignIn } = useDeskActions();
  const pending = useDesk((s) => s.loginPending);
  const error = useDesk((s) => s.loginError);
  const sessionEnded = useDesk((s) => s.sessionEnded);
  const companySignInOffered = useDesk((s) => s.companySignInOffered);
  const companySignInError = useDesk((s) => s.companySignInError);

  useEffect(() => {
    void loadSignInOptions();
    // Browser mode: the page is back from the company sign-in with its answer in the address.
    const answer = takeCompanySignInReturn(window);
    if (answer !== null) void finishCompanySignIn(answer);
  }, [loadSignInOptions, finishCompanySignIn]);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (username.trim() === '' || password === '') return;
    void login(username, password);
  };

  // On the login form "unauthenticated" means wrong credentials, not an expired session.
  const errorText =
    error !== null
      ? error.code === 'unauthenticated'
        ? t('login.badCredentials')
        : failureText(t, error)
      : sessionEnded?.reason === 'expired'
        ? t('error.unauthenticated')
        : null;

  return (
    <div className="login-screen">
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-head">
          <h1>{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        {sessionEnded?.reason === 'desk_revoked' && (
          // Said on the screen the session ended on, not only at the next sign-in (which this desk is refused).
          <div className="error-text" role="alert" data-testid="session-ended">
            <strong>{t('login.sessionEndedRevoked.title')}</strong>
            <p>{t(`login.sessionEndedRevoked.${sessionEnded.unsent}`)}</p>
          </div>
        )}
        <h2>{t('login.title')}</h2>
        <label>
          {t('login.username')}
          <input
            data-testid="login-username"
            autoComplete="username"
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            maxLength={64}
            required
          />
        </label>
        <label>
          {t('login.password')}
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            maxLength={256}
            required
          />
        </label>
        {errorText !== null && (
          <p className="error-text" role="alert" data-testid="login-error" title={error?.message}>
            {errorText}
          </p>
        )}
        <button data-testid="login-submit" type="submit" className="primary" disabled={pending}>
          {pending ? t('login.submitting') : t('login.submit')}
        </button>
        {companySignInOffered && (
          <button data-testid="company-sign-in" type="button" disabled={pending} onClick={() => void companySignIn()}>
            {t('login.companySignIn')}
          </button>
        )}
        {companySignInError !== null && (
          // The reason in the desk's language; the server's or IdP's own words (English) stay in the tooltip for IT.
          <p className="error-text" role="alert" data-testid="company-sign-in-error" title={companySignInError.message}>
            {companySignInError.code === 'offline' ? t('error.offline') : t('login.companySignInFailed')}
            {companySignInError.code !== 'offline' && (
              <span className="error-detail">{t([`login.companySignInRefused.${companySignInError.code}`, `error.${companySignInError.code}`])}</span>
            )}
          </p>
        )}
        <p className="hint">{t('login.demoHint')}</p>
      </form>
    </div>
  );
}
