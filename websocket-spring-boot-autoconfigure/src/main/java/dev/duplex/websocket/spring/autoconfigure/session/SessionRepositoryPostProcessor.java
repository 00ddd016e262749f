package dev.duplex.websocket.spring.autoconfigure.session;

import java.lang.reflect.Modifier;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.session.SessionRepository;

/**
 * Lets the {@link HttpSessionBinding} hear every deletion of a Spring Session, whichever store
 * holds it: wraps each {@link SessionRepository} bean in a proxy of its own class whose {@code
 * deleteById} also reports the id as ended.
 *
 * <p>Why a proxy: Spring Session announces deletions with events only from some stores (Redis,
 * Hazelcast), not from the in-memory or JDBC ones; yet invalidation and Spring Security's logout
 * both end in {@code deleteById}. Expiry, which a store may carry out without calling it, is found
 * by {@link SpringSessionExpiryCheck}. A repository of a final class is left as it is (deletions
 * are then found by that check only).
 */
public final class SessionRepositoryPostProcessor implements BeanPostProcessor {

    private static final System.Logger LOG = System.getLogger(SessionRepositoryPostProcessor.class.getName());

    /** The binding, looked up at each deletion: a post-processor is created before other beans. */
    private final ObjectProvider<HttpSessionBinding> binding;

    public SessionRepositoryPostProcessor(ObjectProvider<HttpSessionBinding> binding) {
        this.binding = binding;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof SessionRepository<?>)) {
            return bean;
        }
        if (Modifier.isFinal(bean.getClass().getModifiers())) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "Session repository " + beanName + " is of a final class: sockets hear of its deletions"
                            + " at the next duplex.websocket.server.session-check-interval");
            return bean;
        }
        ProxyFactory factory = new ProxyFactory(bean);
        // A proxy of the bean's class, so that injection by the concrete type keeps working.
        factory.setProxyTargetClass(true);
        MethodInterceptor reportDeletion = invocation -> {
            Object result = invocation.proceed();
            if (invocation.getArguments()[0] instanceof String id) {
                HttpSessionBinding b = binding.getIfAvailable();
                if (b != null) {
                    b.sessionEnded(id);
                }
            }
            return result;
        };
        NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(reportDeletion);
        advisor.setMappedName("deleteById");
        factory.addAdvisor(advisor);
        return factory.getProxy(bean.getClass().getClassLoader());
    }
}
